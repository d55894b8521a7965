import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../src/observe/dashboard-model.ts';
import { Caption } from '../../src/ui/Caption.tsx';
import { expectFits, rows } from './frame.ts';
import { shopSnapshot } from './snapshots.ts';

const draw = (snapshot: DashboardSnapshot, width = 60, height = 6) =>
  rows(<Caption snapshot={snapshot} width={width} height={height} />).filter((r) => r.trim() !== '');

describe('Caption', () => {
  it('wraps the narration and asks for enter when it waits', () => {
    const frame = draw(shopSnapshot());
    expect(frame.length).toBeGreaterThan(2);
    const words = frame.map((r) => r.replace(/^▌ /, '')).join(' ');
    expect(words).toContain('Payments is down.');
    expect(words).toContain('instead of waiting for a timeout.');
    expect(frame.at(-1)).toBe('↵ press enter to continue');
    expectFits(frame, 60, 6);
  });

  it('does not ask for a key when the narration does not wait', () => {
    const caption = { at: 0, text: 'Warm-up over.', waitingForKey: false };
    expect(draw(shopSnapshot({ caption }))).toEqual(['▌ Warm-up over.']);
  });

  it('keeps the prompt and cuts the text when rows are short', () => {
    const frame = draw(shopSnapshot(), 40, 2);
    expect(frame).toHaveLength(2);
    expect(frame[0]).toMatch(/…$/);
    expect(frame[1]).toContain('press enter to continue');
  });

  it('takes no rows without a caption, and speaks Spanish', () => {
    expect(draw(shopSnapshot({ caption: null }))).toEqual([]);
    expect(draw(shopSnapshot({ lang: 'es' })).at(-1)).toBe('↵ pulsa intro para continuar');
  });
});
