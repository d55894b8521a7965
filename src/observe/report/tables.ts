/**
 * The report's tables, as HTML: the expectations with their verdicts, the main numbers of each
 * workload and service, the faults (detection and recovery) and the circuit breakers.
 */
import type { ResultsDocument } from '../results.ts';
import { countText, msText, NONE, numText, pctText } from './format.ts';
import { htmlTable, paragraph } from './html.ts';
import type { ReportLabels, ReportLang } from './labels.ts';

/** The expectations: name (in the report's language), expected, measured, verdict, detail. */
export function expectationsTable(results: ResultsDocument, L: ReportLabels, lang: ReportLang): string {
  const verdicts = results.expectations ?? [];
  if (verdicts.length === 0) return paragraph(L.noExpectations, 'note');
  return htmlTable(
    [L.expectationName, L.expected, L.measured, L.verdict, L.detail],
    verdicts.map((v) => [
      v.spec?.names?.[lang] ?? v.name,
      v.expected,
      v.measuredText,
      v.passed ? { text: L.passed, className: 'pass' } : { text: L.failed, className: 'fail' },
      v.detail ?? '',
    ]),
    { numeric: [1, 2] },
  );
}

/** Per workload: requests, outcomes, availability, throughput and latency percentiles. */
export function workloadsTable(results: ResultsDocument, L: ReportLabels): string {
  return htmlTable(
    [L.workload, L.requests, L.ok, L.fallback, L.failedCount, L.availability, L.throughputCol, 'p50', 'p99'],
    Object.entries(results.workloads).map(([name, w]) => [
      name,
      countText(w.requests),
      countText(w.ok),
      countText(w.fallback ?? 0),
      countText(w.failed),
      pctText(w.availability),
      numText(w.throughputPerSec),
      msText(w.latencyMs.p50),
      msText(w.latencyMs.p99),
    ]),
    { numeric: [1, 2, 3, 4, 5, 6, 7, 8], caption: L.workloadsNote },
  );
}

/** Every edge: logical calls, failures, availability and attempts per call (retry amplification). */
export function edgesTable(results: ResultsDocument, L: ReportLabels): string {
  const edges = Object.values(results.edges ?? {});
  if (edges.length === 0) return '';
  return htmlTable(
    [L.edge, L.calls, L.failedCount, L.availability, L.attemptsPerCall],
    edges.map((e) => [
      `${e.caller} → ${e.service}`,
      countText(e.calls),
      countText(e.failed),
      pctText(e.availability),
      numText(e.retryAmplification),
    ]),
    { numeric: [1, 2, 3, 4], caption: L.edges },
  );
}

/** Per service: hops, availability, utilization, mean ready instances, queue and residence. */
export function servicesTable(results: ResultsDocument, L: ReportLabels): string {
  return htmlTable(
    [L.service, L.requests, L.availability, L.utilization, L.meanReady, L.meanQueue, L.residence],
    Object.entries(results.services).map(([name, s]) => [
      name,
      s.requests === undefined ? NONE : countText(s.requests),
      pctText(s.availability),
      pctText(s.utilization),
      numText(s.meanReadyInstances),
      numText(s.meanQueueLength),
      msText(s.residenceMs.mean),
    ]),
    { numeric: [1, 2, 3, 4, 5, 6] },
  );
}

/** The faults: when, what detected them and how long recovery took; empty text without faults. */
export function faultsTable(results: ResultsDocument, L: ReportLabels): string {
  const faults = results.faults ?? [];
  if (faults.length === 0) return '';
  return htmlTable(
    [L.fault, L.kind, L.target, L.start, L.end, L.timeToDetect, L.detectedBy, L.timeToRecover],
    faults.map((f) => [
      f.name,
      f.kind,
      f.target,
      msText(f.startedAt),
      f.endedAt === null ? L.stillActive : msText(f.endedAt),
      f.timeToDetectMs === null ? L.never : msText(f.timeToDetectMs),
      f.detectedBy ?? NONE,
      f.timeToRecoverMs === null ? L.never : msText(f.timeToRecoverMs),
    ]),
    { numeric: [3, 4, 5, 7], caption: L.faults },
  );
}

/** Breakers that changed state: openings and time open in the window, final state. */
export function breakersTable(results: ResultsDocument, L: ReportLabels): string {
  const breakers = Object.entries(results.breakers ?? {});
  if (breakers.length === 0) return paragraph(L.noBreakers, 'note');
  return htmlTable(
    [L.breaker, L.opened, L.openTime, L.finalState],
    breakers.map(([name, b]) => [name, countText(b.opened), msText(b.openMs), L.states[b.finalState]]),
    { numeric: [1, 2], caption: L.breakers },
  );
}
