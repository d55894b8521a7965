import { describe, expect, it } from 'vitest';
import {
  formatAvailability,
  formatCount,
  formatDuration,
  formatSpan,
  formatSummary,
} from '../../src/cli/format-summary.ts';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { createSession } from '../../src/runtime/session.ts';
import { loadScenario } from '../../src/scenario/index.ts';

const latency = { mean: 12.345, p50: 10.01, p90: 25, p99: 180.4, p999: 1234.5, max: 2500 };
const none = { mean: null, p50: null, p90: null, p99: null, p999: null, max: null };

const DOC: ResultsDocument = {
  schemaVersion: 1,
  scenario: { name: 'shop', seed: 42 },
  simulated: {
    durationMs: 120_000,
    plannedDurationMs: 120_000,
    warmupMs: 10_000,
    measuredMs: 110_000,
    events: 1_234_567,
  },
  run: { endReason: 'completed', wallTimeMs: 1530, warnings: [] },
  workloads: {
    web: {
      requests: 12_345,
      ok: 12_300,
      failed: 40,
      inFlight: 5,
      failures: { timeout: 30, circuit_open: 10 },
      rootCauses: { 'timeout at pay/charge': 30, 'circuit_open at front/home': 10 },
      availability: 12_300 / 12_340,
      throughputPerSec: 112.18,
      goodputPerSec: 111.82,
      latencyMs: latency,
      failedLatencyMs: { mean: 1000, max: 1000 },
    },
    batch: {
      requests: 0,
      ok: 0,
      failed: 0,
      inFlight: 0,
      failures: {},
      rootCauses: {},
      availability: null,
      throughputPerSec: 0,
      goodputPerSec: 0,
      latencyMs: none,
      failedLatencyMs: { mean: null, max: null },
    },
  },
  services: {
    front: {
      utilization: 0.7345,
      meanQueueLength: 0.5,
      meanInSystem: 1.234,
      meanReadyInstances: 2,
      arrivalsPerSec: 112.2,
      residenceMs: { mean: 11 },
      endpoints: {
        home: {
          requests: 12_340,
          ok: 12_300,
          failed: 40,
          failures: { dependency_failed: 40 },
          latencyMs: latency,
          waitMs: { mean: 0.35, p99: 4.2 },
          waitedFraction: 0.123,
          residenceMs: { mean: 11 },
        },
      },
    },
    idle: {
      utilization: null,
      meanQueueLength: 0,
      meanInSystem: 0,
      meanReadyInstances: 0,
      arrivalsPerSec: 0,
      residenceMs: { mean: null },
      endpoints: {},
    },
  },
  timeSeries: { intervalMs: 1000, points: [] },
};

/** The line that starts (after indentation) with `first`, split into its cells. */
function row(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(`${first} `));
  expect(line, `a line starting with ${first}`).toBeDefined();
  return line!.trim().split(/ {2,}/);
}

describe('formatSummary', () => {
  const text = formatSummary(DOC);

  it('starts with the scenario, seed, simulated time, events and end reason', () => {
    const [title, facts] = text.split('\n');
    expect(title).toBe('microsim: shop (seed 42)');
    expect(facts).toBe(
      '  simulated 2 min (warm-up 10 s, measured 1 min 50 s), 1,234,567 events in 1.53 s of wall time; completed',
    );
  });

  it('prints workload counts, availability, throughput and latency with units', () => {
    expect(row(text, 'web')).toEqual(['web', '12,345', '12,300', '40', '5', '99.68%', '112.2', '111.8']);
    expect(row(text, 'batch')).toEqual(['batch', '0', '0', '0', '0', '-', '0.00', '0.00']);
    const lines = text.split('\n').filter((l) => l.trimStart().startsWith('web '));
    expect(lines[1]!.trim().split(/ {2,}/)).toEqual([
      'web',
      '12.3 ms',
      '10 ms',
      '25 ms',
      '180 ms',
      '1.23 s',
      '2.5 s',
    ]);
    expect(text).toContain('  web failures: timeout 30, circuit_open 10 (mean time to fail 1 s)');
    expect(text).toContain('    root causes: timeout at pay/charge 30, circuit_open at front/home 10');
  });

  it('prints services and endpoints', () => {
    expect(row(text, 'front')).toEqual(['front', '73.5%', '0.50', '1.23', '2.00', '112.2', '11 ms']);
    expect(row(text, 'idle')).toEqual(['idle', '-', '0.00', '0.00', '0.00', '0.00', '-']);
    expect(row(text, 'front/home')).toEqual([
      'front/home',
      '12,340',
      '40',
      '350 µs',
      '4.2 ms',
      '12.3%',
      '10 ms',
      '180 ms',
    ]);
    expect(text).toContain('  front/home failures: dependency_failed 40');
  });

  it('aligns columns: every row of a table has the same width', () => {
    const lines = text.split('\n');
    const head = lines.findIndex((l) => l.trimStart().startsWith('workload  requests'));
    const widths = lines.slice(head, head + 3).map((l) => l.length);
    expect(new Set(widths).size).toBe(1);
  });

  it('uses no escape codes unless asked, and says when a run stopped early', () => {
    expect(text).not.toContain('\u001b[');
    const stopped = formatSummary(
      { ...DOC, run: { endReason: 'event_limit', message: 'stopped after 5 events', warnings: [] } },
      { color: true },
    );
    expect(stopped).toContain('\u001b[31mstopped early: event_limit\u001b[0m');
    expect(stopped).toContain('stopped after 5 events');
    expect(stopped).toContain('\u001b[1mmicrosim: shop (seed 42)\u001b[0m');
  });

  it('shows the scenario description in the chosen language, wrapped under the title', () => {
    const described = {
      ...DOC,
      scenario: { ...DOC.scenario, description: { en: 'A small shop.', es: 'Una pequeña tienda.' } },
    };
    expect(formatSummary(described).split('\n')[1]).toBe('  A small shop.');
    expect(formatSummary(described, { lang: 'es' }).split('\n')[1]).toBe('  Una pequeña tienda.');
    const long = { ...DOC, scenario: { ...DOC.scenario, description: { en: 'word '.repeat(60), es: 'x' } } };
    const lines = formatSummary(long).split('\n').slice(1, 5);
    expect(lines.every((l) => l.length <= 98)).toBe(true);
  });

  it('ends with the warnings, when there are any', () => {
    const warned = formatSummary({
      ...DOC,
      run: { ...DOC.run, warnings: ['api receives 12.0/s but can serve about 10.0/s'] },
    });
    expect(warned.trimEnd().split('\n').slice(-2)).toEqual([
      'Warnings',
      '  ! api receives 12.0/s but can serve about 10.0/s',
    ]);
    expect(text).not.toContain('Warnings');
  });

  it('shows a restart as a moment and a kill as a span', () => {
    const fault = (name: string, kind: string, endedAt: number | null) => ({
      name,
      kind,
      target: 'api (1 of 2: api#1)',
      startedAt: 60_000,
      endedAt,
      timeToDetectMs: null,
      detectedBy: null,
      timeToRecoverMs: endedAt === null ? null : 0,
      baseline: { fromMs: 0, toMs: 60_000, completed: 10, availability: 1 },
      during: { completed: 10, availability: 1 },
      blastRadius: [],
    });
    const text = formatSummary({
      ...DOC,
      faults: [fault('bounce', 'restart', null), fault('down', 'kill', 90_000), fault('stuck', 'hang', null)],
    });
    expect(text).toContain(
      'bounce: restart api (1 of 2: api#1), at 60 s\n    not detected; the instances start again at once',
    );
    expect(text).toContain(
      'down: kill api (1 of 2: api#1), 60 s → 90 s\n    not detected; recovered 0 ms after it ended',
    );
    expect(text).toContain(
      'stuck: hang api (1 of 2: api#1), from 60 s to the end\n    not detected; still active at the end',
    );
  });

  it('copes with an empty document', () => {
    const empty = formatSummary({ ...DOC, workloads: {}, services: {} });
    expect(empty).toContain('Workloads (requests that arrived after the warm-up)\n  (none)');
    expect(empty.endsWith('\n')).toBe(true);
  });
});

describe('number formats', () => {
  it('picks a duration unit', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(0.0123)).toBe('12.3 µs');
    expect(formatDuration(0.85)).toBe('850 µs');
    expect(formatDuration(1.5)).toBe('1.5 ms');
    expect(formatDuration(123.456)).toBe('123 ms');
    expect(formatDuration(4560)).toBe('4.56 s');
    expect(formatDuration(3_600_000)).toBe('3600 s');
  });

  it('formats spans, counts and availability', () => {
    expect(formatSpan(250)).toBe('250 ms');
    expect(formatSpan(1500)).toBe('1.5 s');
    expect(formatSpan(3_900_000)).toBe('1 h 5 min');
    expect(formatSpan(150_000)).toBe('2 min 30 s');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatAvailability(1)).toBe('100.00%');
    expect(formatAvailability(0.9995)).toBe('99.95%');
    expect(formatAvailability(0.999_99)).toBe('99.999%');
    expect(formatAvailability(0)).toBe('0.00%');
  });
});

describe('the theory block', () => {
  const parameters = {
    arrivalsPerSec: 112,
    meanWorkMs: 6.5,
    workers: 1,
    capacity: null,
    replicas: 1,
    load: 0.728,
  };
  const value = (path: string, label: string, v: number, unit: 'fraction' | 'ms' | 'requests') => ({
    path,
    label,
    value: v,
    unit,
  });
  const THEORY: ResultsDocument = {
    ...DOC,
    theory: {
      model: 'M/M/1',
      parameters,
      values: [
        value('services.front.utilization', 'utilization ρ', 0.75, 'fraction'),
        value('services.front.meanInSystem', 'mean in system L', 1, 'requests'),
        value('services.front.endpoints.home.waitMs.mean', 'mean wait Wq', 0.35, 'ms'),
        value('workloads.web.latencyMs.p99', 'p99 latency', 200, 'ms'),
        value('workloads.web.availability', 'availability', 0.99, 'fraction'),
        value('workloads.batch.latencyMs.mean', 'mean latency W', 10, 'ms'),
      ],
      notes: [{ en: 'a note in English', es: 'una nota en español' }],
    },
  };

  /** The block: from its title to the next blank line. */
  const block = (text: string): string[] => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^(Theory|Teoría) \(/.test(l));
    expect(start, 'a theory block').toBeGreaterThan(0);
    const end = lines.indexOf('', start);
    return lines.slice(start, end < 0 ? undefined : end);
  };

  it('puts each value beside the simulated one, with the relative difference', () => {
    const lines = block(formatSummary(THEORY));
    expect(lines[0]).toBe('Theory (M/M/1): λ = 112/s, E[S] = 6.5 ms, c = 1, ρ = 0.728');
    expect(lines.slice(1).map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['value', 'theory', 'simulated', 'diff'],
      ['front utilization ρ', '75.0%', '73.5%', '-2.1%'],
      ['front mean in system L', '1.00', '1.23', '+23%'],
      ['front/home mean wait Wq', '350 µs', '350 µs', '0.0%'],
      ['web p99 latency', '200 ms', '180 ms', '-9.8%'],
      ['web availability', '99.00%', '99.68%', '+0.7%'],
      ['batch mean latency W', '10 ms', '-', '-'],
      ['a note in English'],
      ['long-run values of the model; one run differs by chance (see --runs N)'],
    ]);
    // After the services, before the resilience sections.
    const text = formatSummary(THEORY);
    expect(text.indexOf('Theory (M/M/1)')).toBeGreaterThan(text.indexOf('front/home failures'));
  });

  it('in Spanish, with Spanish labels', () => {
    const lines = block(formatSummary(THEORY, { lang: 'es' }));
    expect(lines[0]).toBe('Teoría (M/M/1): λ = 112/s, E[S] = 6.5 ms, c = 1, ρ = 0.728');
    expect(lines[1]!.trim().split(/ {2,}/)).toEqual(['valor', 'teoría', 'simulado', 'dif.']);
    expect(lines[2]!.trim().split(/ {2,}/)[0]).toBe('front utilización');
    expect(lines[4]!.trim().split(/ {2,}/)[0]).toBe('front/home espera media');
    expect(lines).toContain('  una nota en español');
  });

  it('prints nothing when no model matches, or when the document has no theory', () => {
    const none = formatSummary({ ...DOC, theory: { model: null, reason: 'two services (a, b)' } });
    expect(none).toBe(formatSummary(DOC));
    expect(none).not.toMatch(/Theory|two services/);
  });

  it('stays within 80 columns for the shipped matching scenarios', async () => {
    for (const file of ['scenarios/mm1.yaml', 'scenarios/theory/mmck.yaml', 'scenarios/theory/mm1-ps.yaml']) {
      const scenario = await loadScenario(file);
      const results = createSession({ ...scenario, durationMs: 120_000, warmupMs: 10_000 }).runToEnd();
      for (const lang of ['en', 'es'] as const) {
        const lines = block(formatSummary(results, { lang }));
        expect(lines.length, `${file} ${lang}`).toBeGreaterThan(5);
        for (const line of lines) expect(line.length, `${file} ${lang}: ${line}`).toBeLessThanOrEqual(80);
      }
    }
  });
});
