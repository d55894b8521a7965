import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../src/observe/dashboard-model.ts';
import { EventLog } from '../../src/ui/EventLog.tsx';
import { expectFits, rows } from './frame.ts';
import { shopSnapshot } from './snapshots.ts';

const draw = (snapshot: DashboardSnapshot, width = 100, height = 4) =>
  rows(<EventLog snapshot={snapshot} width={width} height={height} />).filter((r) => r.trim() !== '');

describe('EventLog', () => {
  it('shows the last events that fit, newest at the bottom, with mm:ss.s and a kind tag', () => {
    const frame = draw(shopSnapshot());
    expect(frame).toHaveLength(4);
    expect(frame[3]).toMatch(/^00:52\.3 message\s+mq\/orders: 2 messages dead-lettered/);
    expect(frame[0]).toMatch(/^00:40\.0 scale\s+checkout scaled 3 → 4/);
    expect(frame.join('\n')).not.toContain('Warm-up over');
  });

  it('cuts long texts to the width instead of wrapping them', () => {
    const long = 'x'.repeat(300);
    const frame = draw(
      shopSnapshot({ events: [{ at: 61_000, kind: 'fault', text: `${long}\nsecond line` }] }),
      80,
      3,
    );
    expect(frame).toHaveLength(1);
    expect(frame[0]).toMatch(/^01:01\.0 fault\s+x+…$/);
    expectFits(frame, 80, 3);
  });

  it('says when there are no events yet, and speaks Spanish', () => {
    expect(draw(shopSnapshot({ events: [] }))[0]).toContain('no events yet');
    const es = draw(shopSnapshot({ lang: 'es' }), 100, 8).join('\n');
    for (const tag of ['fallo', 'disyuntor', 'escala', 'instancia', 'orden', 'despliegue', 'mensaje']) {
      expect(es).toContain(tag);
    }
  });
});
