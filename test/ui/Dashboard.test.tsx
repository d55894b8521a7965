import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot, ServiceView } from '../../src/observe/dashboard-model.ts';
import { Dashboard } from '../../src/ui/Dashboard.tsx';
import { KEYS } from '../../src/ui/keys.ts';
import { expectFits, rows } from './frame.ts';
import { emptySnapshot, shopSnapshot } from './snapshots.ts';

const draw = (snapshot: DashboardSnapshot, width: number, height: number, showHelp = false) =>
  rows(<Dashboard snapshot={snapshot} width={width} height={height} showHelp={showHelp} />);

/** A bigger world than the screen: 14 services with long names, 60 events, a long status. */
function crowded(): DashboardSnapshot {
  const shop = shopSnapshot();
  const services: ServiceView[] = Array.from({ length: 14 }, (_, i) => ({
    ...shop.services[2]!,
    name: `service-with-a-rather-long-name-${i}`,
    depth: 1 + (i % 5),
    instances: Array.from({ length: 25 }, (_, k) => ({
      id: `s${i}#${k}`,
      state: k % 3 === 0 ? 'crashed' : 'ready',
    })),
  }));
  return shopSnapshot({
    services,
    edges: services
      .slice(1)
      .map((s, i) => ({ from: services[i]!.name, to: s.name, kind: 'call', breaker: 'open' })),
    events: Array.from({ length: 60 }, (_, i) => ({
      at: i * 1000,
      kind: 'breaker',
      text: `event ${i} `.repeat(20),
    })),
    status: 'a very long status message '.repeat(8),
    caption: { at: 0, text: 'narration '.repeat(80), waitingForKey: true },
  });
}

describe('Dashboard', () => {
  it('fits 80×24 exactly, shrinking panels: two chart series, a few events', () => {
    const frame = draw(shopSnapshot(), 80, 24);
    expectFits(frame, 80, 24);
    const all = frame.join('\n');
    expect(all).toContain('shop-outage');
    expect(all).toContain('● ready');
    expect(all).toContain('⊘ open');
    expect(all).toContain('37 waiting');
    // Every service's instances still show: the topology did not lose rows.
    for (const glyphs of ['●●◌', '✖●‖', '●◐', '●■']) expect(all).toContain(glyphs);
    expect(all).not.toMatch(/\+\d+ more/);
    expect(all).toMatch(/▸ checkout\s+18\s+12%/);
    expect(all).toMatch(/shipping\s+4\s+0%/);
    expect(frame.some((r) => r.startsWith('throughput'))).toBe(true);
    expect(frame.some((r) => r.startsWith('errors'))).toBe(true);
    expect(frame.some((r) => r.startsWith('replicas'))).toBe(false);
    expect(all).toContain('━ payments-down');
    expect(all).toContain('00:52.3 message');
    expect(all).toContain('press enter to continue');
  });

  it('with a spare row (as the live app draws it), an 80×24 terminal gets 23 rows and still shows every service', () => {
    const frame = rows(<Dashboard snapshot={shopSnapshot()} width={80} height={24} spareRows={1} />);
    expectFits(frame, 80, 23);
    const all = frame.join('\n');
    for (const glyphs of ['●●◌', '✖●‖', '●◐', '●■']) expect(all).toContain(glyphs);
    expect(all).toContain('press enter to continue');
    // The terminal's size is what the minimum is about: 80×23 is still too small.
    const small = rows(<Dashboard snapshot={shopSnapshot()} width={80} height={23} spareRows={1} />);
    expect(small.join(' ')).toContain('at least 80×24');
  });

  it('shows every panel at 120×40', () => {
    const frame = draw(shopSnapshot(), 120, 40);
    expectFits(frame, 120, 40);
    const all = frame.join('\n');
    for (const part of [
      'shop-outage',
      'topology',
      '◑ half-open',
      '⊘ open',
      '37 waiting',
      'req/s',
      'shoppers',
      'payments-down',
      '── events',
      '00:05.0 narration',
      '00:52.3 message',
      'Payments is down.',
      'press enter to continue',
    ]) {
      expect(all, part).toContain(part);
    }
    for (const series of ['throughput', 'errors', 'p99', 'replicas']) {
      expect(
        frame.some((r) => r.startsWith(series)),
        series,
      ).toBe(true);
    }
  });

  it.each([
    [79, 24],
    [80, 23],
    [40, 10],
  ])('shows only the minimum size at %i×%i', (width, height) => {
    const frame = draw(shopSnapshot(), width, height).filter((r) => r.trim() !== '');
    expectFits(frame, width, height);
    const all = frame.join(' ');
    expect(all).toContain(`${width}×${height}`);
    expect(all).toContain('at least 80×24');
    expect(all).not.toContain('shop-outage');
    expect(all).not.toContain('req/s');
    const es = draw(shopSnapshot({ lang: 'es' }), width, height).join(' ');
    expect(es).toContain('al menos 80×24');
  });

  it('replaces the panels with the help overlay while shown', () => {
    const frame = draw(shopSnapshot(), 80, 24, true);
    expectFits(frame, 80, 24);
    const all = frame.join('\n');
    expect(all).toContain('shop-outage');
    expect(all).not.toContain('req/s');
    expect(all).not.toContain('throughput');
    for (const binding of KEYS) expect(all.replace(/\s+/g, ' '), binding.action).toContain(binding.en);
  });

  it('speaks Spanish at 80×24', () => {
    const frame = draw(shopSnapshot({ lang: 'es' }), 80, 24);
    expectFits(frame, 80, 24);
    const all = frame.join('\n');
    for (const word of [
      'en marcha',
      'topología',
      '⊘ abierto',
      'servicio',
      'caudal',
      'pulsa intro para continuar',
    ]) {
      expect(all).toContain(word);
    }
  });

  it('fits every size from 80×24 to 140×50, crowded or empty, in both languages', () => {
    const snapshots = [
      shopSnapshot(),
      crowded(),
      emptySnapshot(),
      shopSnapshot({ lang: 'es', status: 'ok' }),
    ];
    for (const snapshot of snapshots) {
      for (const [width, height] of [
        [80, 24],
        [81, 25],
        [99, 30],
        [100, 36],
        [120, 40],
        [140, 50],
      ] as const) {
        expectFits(draw(snapshot, width, height), width, height);
        expectFits(draw(snapshot, width, height, true), width, height);
      }
    }
  });

  it('still shows the essentials when the world is larger than the screen', () => {
    const all = draw(crowded(), 80, 24).join('\n');
    expect(all).toMatch(/\+\d+ more/);
    expect(all).toContain('press enter to continue');
    expect(all).toContain('» a very long status');
  });
});
