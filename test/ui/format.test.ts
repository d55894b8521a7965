import { describe, expect, it } from 'vitest';
import { clockText, countText, msText, pctText, speedText } from '../../src/ui/format.ts';

describe('dashboard number formats', () => {
  it('percentages fit 4 cells, including just below 10%', () => {
    for (const share of [0, 0.004, 0.0994, 0.09949, 0.0995, 0.0996, 0.1, 0.5, 0.999, 1]) {
      expect(pctText(share).length, `${share}`).toBeLessThanOrEqual(4);
    }
    expect(pctText(0.0996)).toBe('10%');
    expect(pctText(0.0994)).toBe('9.9%');
    expect(pctText(null)).not.toMatch(/\d/);
  });

  it('times, counts and speeds', () => {
    expect(clockText(75_800)).toBe('01:15.8');
    expect(msText(46)).toBe('46ms');
    expect([7, 12.46, 340, 1_234, 35_000, 1_234_567].map(countText)).toEqual([
      '7',
      '12.5',
      '340',
      '1.2k',
      '35k',
      '1.2M',
    ]);
    expect(speedText(10, 'max')).toBe('×10');
    expect(speedText('max', 'max')).toBe('max');
  });
});
