import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance, unknownKeyMessage } from '../../src/scenario/did-you-mean.ts';

describe('did you mean', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest plausible candidate only', () => {
    expect(closestMatch('replica', ['replicas', 'workers'])).toBe('replicas');
    expect(closestMatch('FIFO', ['fifo', 'ps'])).toBe('fifo');
    expect(closestMatch('loadbalancing', ['loadBalancing'])).toBe('loadBalancing');
    expect(closestMatch('colour', ['name', 'seed'])).toBeUndefined();
    expect(closestMatch('x'.repeat(500), ['x'])).toBeUndefined();
  });

  it('builds unknown-key messages with a suggestion or the allowed keys', () => {
    expect(unknownKeyMessage('wrk', ['work', 'order', 'calls'])).toBe(
      'unknown key "wrk" (did you mean "work"?)',
    );
    expect(unknownKeyMessage('zzz', ['work', 'order'])).toBe(
      'unknown key "zzz"; allowed keys here: work, order',
    );
  });
});
