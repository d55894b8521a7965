import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../src/observe/dashboard-model.ts';
import { lineText } from '../../src/ui/Lines.tsx';
import { ServiceTable, serviceTableLines } from '../../src/ui/ServiceTable.tsx';
import { expectFits, rows, rowWith } from './frame.ts';
import { shopSnapshot } from './snapshots.ts';

const draw = (snapshot: DashboardSnapshot, width = 100, height = 20) =>
  rows(<ServiceTable snapshot={snapshot} width={width} height={height} />);

describe('ServiceTable', () => {
  it('has a header with every column', () => {
    const header = draw(shopSnapshot())[0]!;
    for (const col of ['service', 'req/s', 'err %', 'p50', 'p99', 'busy', 'queued', 'replicas', 'version']) {
      expect(header).toContain(col);
    }
  });

  it("shows a service's throughput, errors, latencies, utilization bar, queue, replicas and version", () => {
    const row = rowWith(draw(shopSnapshot()), 'checkout');
    expect(row).toMatch(/▸ checkout\s+18\s+12%\s+120ms\s+1\.20s\s+█+░* +93%\s+14\s+3 v2/);
    expect(rowWith(draw(shopSnapshot()), 'web')).toMatch(/web\s+48\.2\s+3\.1%\s+42ms\s+310ms/);
  });

  it('leaves brokers out and lists the workloads when there is room', () => {
    const frame = draw(shopSnapshot());
    expect(frame.some((r) => r.trim().startsWith('mq'))).toBe(false);
    expect(rowWith(frame, 'shoppers')).toMatch(/shoppers\s+48\.2\s+3\.1%\s+310ms/);
    const short = draw(shopSnapshot(), 100, 6);
    expect(short.join('\n')).not.toContain('shoppers');
  });

  it('keeps to its height and width', () => {
    const frame = draw(shopSnapshot(), 80, 4);
    expect(frame).toHaveLength(4);
    expect(frame[3]).toContain('+3 more');
    expectFits(draw(shopSnapshot(), 80, 12), 80, 12);
  });

  it('speaks Spanish', () => {
    const header = draw(shopSnapshot({ lang: 'es' }))[0]!;
    for (const col of ['servicio', 'pet/s', '% err', 'ocupación', 'en cola', 'réplicas', 'versión']) {
      expect(header).toContain(col);
    }
  });
});

describe('ServiceTable selection', () => {
  it('keeps the selected service in view when not every row fits', () => {
    const shop = shopSnapshot();
    const services = shop.services.filter((s) => s.kind === 'service');
    const last = services.at(-1)!.name;
    const lines = serviceTableLines({ ...shop, selected: last }, 100, 3).map(lineText);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^▸ ${last}\\b`));
    expect(lines[2]).toMatch(/more/);
  });
});
