import { describe, expect, it } from 'vitest';
import { FinalScreen, type Verdict } from '../../src/ui/FinalScreen.tsx';
import { expectFits, rows, rowWith } from './frame.ts';

const verdicts: Verdict[] = [
  { name: 'checkout availability', passed: true, measuredText: '99.4%', expectedText: '≥ 99%' },
  { name: 'p99 of shoppers', passed: false, measuredText: '1.20s', expectedText: '≤ 300ms' },
  { name: 'no message lost', passed: true, measuredText: '0 lost', expectedText: '0' },
];
const summary = Array.from({ length: 40 }, (_, i) => `summary line ${i + 1}`);

describe('FinalScreen', () => {
  it('shows the verdicts with ✓/✗, what was measured and expected, then the summary and how to quit', () => {
    const frame = rows(
      <FinalScreen lang="en" summary={summary} verdicts={verdicts} width={80} height={24} />,
    );
    expectFits(frame, 80, 24);
    expect(frame[0]).toContain('✗ 1 of 3 expectations failed');
    expect(rowWith(frame, 'checkout availability')).toMatch(
      /^✓ checkout availability\s+measured 99\.4%\s+expected ≥ 99%/,
    );
    expect(rowWith(frame, 'p99 of shoppers')).toMatch(
      /^✗ p99 of shoppers\s+measured 1\.20s\s+expected ≤ 300ms/,
    );
    expect(frame.indexOf(rowWith(frame, 'no message lost'))).toBeLessThan(
      frame.indexOf(rowWith(frame, 'summary line 1')),
    );
    expect(rowWith(frame, 'more lines')).toMatch(/↓ \d+ more lines/);
    expect(frame.filter((r) => r.trim() !== '').at(-1)).toBe('↑↓ scroll · q to quit');
  });

  it('says when all expectations held, and speaks Spanish', () => {
    const held = verdicts.map((v) => ({ ...v, passed: true }));
    const en = rows(<FinalScreen lang="en" summary={[]} verdicts={held} width={80} height={24} />);
    expect(en[0]).toContain('✓ all 3 expectations held');
    const es = rows(<FinalScreen lang="es" summary={summary} verdicts={verdicts} width={80} height={24} />);
    expect(es[0]).toContain('✗ 1 de 3 expectativas no se cumple');
    expect(rowWith(es, 'p99 of shoppers')).toContain('medido 1.20s');
    expect(es.join('\n')).toContain('q para salir');
  });

  it('puts the failed verdicts first when not all fit', () => {
    const many: Verdict[] = Array.from({ length: 12 }, (_, i) => ({
      name: `expectation ${i}`,
      passed: i !== 9,
      measuredText: String(i),
      expectedText: '≥ 0',
    }));
    const frame = rows(<FinalScreen lang="en" summary={summary} verdicts={many} width={80} height={8} />);
    expectFits(frame, 80, 8);
    expect(frame[2]).toMatch(/^✗ expectation 9/);
    expect(frame.join('\n')).toMatch(/\+\d+ more/);
    expect(frame.filter((r) => r.trim() !== '').at(-1)).toBe('↑↓ scroll · q to quit');
  });

  it('scrolls the summary', () => {
    const frame = rows(
      <FinalScreen lang="en" summary={summary} verdicts={[]} width={80} height={12} scroll={10} />,
    );
    expectFits(frame, 80, 12);
    expect(frame[0]).toContain('no expectations');
    expect(frame[2]).toBe('summary line 11');
  });
});
