import { describe, expect, it } from 'vitest';
import { HelpOverlay } from '../../src/ui/HelpOverlay.tsx';
import { KEYS, keyLabel } from '../../src/ui/keys.ts';
import { expectFits, rows } from './frame.ts';

describe('HelpOverlay', () => {
  it('lists every key of KEYS with its description', () => {
    const frame = rows(<HelpOverlay lang="en" width={100} height={22} />);
    const all = frame.join('\n');
    expect(frame[0]).toContain('keys');
    for (const binding of KEYS) {
      const row = frame.find((r) => r.includes(binding.en));
      expect(row, binding.action).toBeDefined();
      for (const key of binding.keys) expect(row).toContain(keyLabel(key, 'en'));
    }
    expect(all).toContain('space');
    expectFits(frame, 100, 22);
  });

  it('lists them in Spanish, wrapping long descriptions at 80 columns', () => {
    const frame = rows(<HelpOverlay lang="es" width={80} height={22} />);
    const words = frame.join(' ').replace(/\s+/g, ' ');
    expect(frame[0]).toContain('teclas');
    for (const binding of KEYS) expect(words, binding.action).toContain(binding.es);
    expect(words).toContain('espacio');
    expectFits(frame, 80, 22);
  });

  it('falls back to two columns when one does not fit the height', () => {
    const frame = rows(<HelpOverlay lang="en" width={120} height={10} />);
    expectFits(frame, 120, 10);
    expect(frame.join('\n')).toContain('quit');
    expect(frame.join('\n')).toContain('pause / resume');
  });
});
