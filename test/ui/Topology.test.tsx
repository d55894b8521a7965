import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../src/observe/dashboard-model.ts';
import { createLiveRun } from '../../src/runtime/live.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { lineText } from '../../src/ui/Lines.tsx';
import { Topology, topologyLines } from '../../src/ui/Topology.tsx';
import { expectFits, rows, rowWith } from './frame.ts';
import { shopSnapshot } from './snapshots.ts';

const draw = (snapshot: DashboardSnapshot, width = 80, height = 20) =>
  rows(<Topology snapshot={snapshot} width={width} height={height} />);

/** The row of a service or broker in the rows layout: its name first (after indent and marker). */
const nodeRow = (frame: readonly string[], name: string): string => {
  const row = frame.find((r) => r.trimStart().replace(/^▸ /, '').startsWith(`${name} `));
  expect(row, `no row for ${name} in:\n${frame.join('\n')}`).toBeDefined();
  return row!;
};

describe('Topology', () => {
  it('has a legend naming every instance glyph', () => {
    const legend = draw(shopSnapshot())[0]!;
    for (const entry of ['● ready', '◌ starting', '◐ draining', '✖ crashed', '■ stopped', '‖ hung']) {
      expect(legend).toContain(entry);
    }
  });

  it('draws each instance as the glyph of its state, one row per service when narrow', () => {
    const frame = draw(shopSnapshot());
    expect(nodeRow(frame, 'checkout')).toContain('●●◌');
    expect(nodeRow(frame, 'payments')).toContain('✖●‖');
    expect(nodeRow(frame, 'catalog')).toContain('●◐');
    expect(nodeRow(frame, 'shipping')).toContain('●■');
    expect(nodeRow(frame, 'web')).toContain('●●');
    const order = ['web', 'catalog', 'checkout', 'mq', 'payments', 'shipping'].map((n) =>
      frame.indexOf(nodeRow(frame, n)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(0);
    expectFits(frame, 80, 20);
  });

  it('marks the selected service', () => {
    expect(nodeRow(draw(shopSnapshot()), 'checkout')).toContain('▸ checkout');
    expect(nodeRow(draw(shopSnapshot()), 'web')).not.toContain('▸');
    expect(nodeRow(draw(shopSnapshot({ selected: 'web' })), 'web')).toContain('▸ web');
  });

  it('marks an open breaker in shape and word, and shows nothing for a closed one', () => {
    const frame = draw(shopSnapshot());
    expect(rowWith(frame, '→ payments')).toContain('→ payments ⊘ open');
    const web = rowWith(frame, '→ catalog');
    expect(web).not.toMatch(/[⊘◑]/);
    const halfOpen = shopSnapshot({
      edges: [{ from: 'checkout', to: 'payments', kind: 'call', breaker: 'half_open' }],
    });
    expect(rowWith(draw(halfOpen), '→ payments')).toContain('→ payments ◑ half-open');
  });

  it("shows a broker's queue backlog: bar, waiting, in flight, dead-lettered", () => {
    const row = nodeRow(draw(shopSnapshot()), 'mq');
    expect(row).toMatch(/orders ▮▮▯ 37 waiting, 4 in flight, 2 dead-lettered/);
    expect(row).toContain('⇢ shipping');
    const empty = shopSnapshot({
      queues: [{ broker: 'mq', queue: 'orders', waiting: 0, inFlight: 0, oldestAgeMs: 0, deadLettered: 0 }],
    });
    expect(rowWith(draw(empty), 'orders')).toContain('orders ▯▯▯ 0 waiting');
  });

  it('lays services out in columns by depth when wide', () => {
    const frame = draw(shopSnapshot(), 120, 20);
    const names = frame[1]!;
    const at = (n: string) => names.indexOf(n);
    expect(at('web')).toBeGreaterThanOrEqual(0);
    expect(at('web')).toBeLessThan(at('catalog'));
    expect(at('catalog')).toBeLessThan(at('mq'));
    expect(at('mq')).toBeLessThan(at('shipping'));
    expect(rowWith(frame, '→ payments')).toContain('⊘ open');
    expect(frame.join('\n')).toContain('37 waiting');
    expectFits(frame, 120, 20);
  });

  it('keeps to its height, saying how many rows it left out', () => {
    const lines = topologyLines(shopSnapshot(), 80, 4).map(lineText);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('+4 more');
  });

  it('speaks Spanish', () => {
    const frame = draw(shopSnapshot({ lang: 'es' }));
    for (const word of [
      '● lista',
      '◌ arrancando',
      '✖ caída',
      '‖ colgada',
      '⊘ abierto',
      '37 en espera',
      '4 en curso',
    ]) {
      expect(frame.join('\n')).toContain(word);
    }
  });
});

describe('Topology queues in narrow columns', () => {
  it('never cuts the backlog count: it moves to its own line', async () => {
    // notify-async during notifier's outage: three columns at 80 cells, a long backlog.
    const run = createLiveRun(await loadScenario('scenarios/04-communication/notify-async.yaml'), {
      lang: 'en',
      speed: 1,
      interactive: false,
    });
    for (let i = 0; i < 400; i++) run.tick(250);
    const snapshot = run.snapshot();
    expect(snapshot.queues[0]!.waiting).toBeGreaterThan(1000);
    const text = rows(<Topology snapshot={snapshot} width={80} height={12} />).join('\n');
    expect(text).toMatch(/notifications/);
    expect(text).toMatch(/\d\.\dk waiting/);
  });
});
