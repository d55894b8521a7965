// @jsxRuntime automatic
// @jsxImportSource react
/**
 * Per service, over the dashboard's window: throughput, error share, p50 and p99, how busy its
 * workers are (a bar and a percentage), requests queued, replicas and version; then, when rows
 * are left, the workloads (throughput, error share = 1 − availability, p99). Brokers are left
 * out: their queues are in the topology.
 */
import type { DashboardSnapshot, ServiceView, WorkloadView } from '../observe/dashboard-model.ts';
import { cellWidth, padEnd, padStart } from './cells.ts';
import { countText, msText, NONE, pctText } from './format.ts';
import { loadTone, shareBar } from './glyphs.ts';
import { type Labels, labels } from './i18n.ts';
import { type Line, Lines, type Seg, seg } from './Lines.tsx';

export interface ServiceTableProps {
  readonly snapshot: DashboardSnapshot;
  readonly width: number;
  /** Rows available; the table takes at most this many. */
  readonly height: number;
}

interface Layout {
  readonly name: number;
  readonly bar: number;
  /** 0 when the version column is hidden. */
  readonly version: number;
}

const NUM = { rate: 7, err: 6, p50: 7, p99: 7, pct: 4, queued: 7, replicas: 8 } as const;
/** Cells of the fixed columns and of the spaces between columns (the busy bar and version aside). */
const FIXED = NUM.rate + NUM.err + NUM.p50 + NUM.p99 + NUM.pct + NUM.queued + NUM.replicas + 8;

function layout(services: readonly ServiceView[], l: Labels, width: number): Layout {
  const names = [l.service, l.workload, ...services.map((s) => s.name)];
  const longest = Math.max(8, ...names.map((n) => cellWidth(n) + 2));
  const name = Math.min(18, longest, Math.max(8, width - FIXED - 4));
  let rest = width - FIXED - name;
  const bar = Math.max(4, Math.min(10, rest - 14));
  rest -= bar;
  const longestVersion = Math.max(0, ...services.map((s) => (s.version ?? '').length));
  const version = longestVersion > 0 && rest >= 7 ? Math.min(rest - 1, Math.max(7, longestVersion)) : 0;
  return { name, bar, version };
}

function headerRow(l: Labels, lay: Layout, first: string): Line {
  const cells = [
    padEnd(`  ${first}`, lay.name),
    padStart(l.perSecond, NUM.rate),
    padStart(l.errorPct, NUM.err),
    padStart('p50', NUM.p50),
    padStart('p99', NUM.p99),
    padEnd(l.busy, lay.bar + 1 + NUM.pct),
    padStart(l.queued, NUM.queued),
    padStart(l.replicas, NUM.replicas),
  ];
  if (lay.version > 0) cells.push(padEnd(l.version, lay.version));
  return [seg(cells.join(' '), { bold: true, dim: true })];
}

function nameCell(name: string, isSelected: boolean, width: number): Seg[] {
  return [
    seg(isSelected ? '▸ ' : '  ', { color: 'cyan', bold: true }),
    seg(padEnd(name, width - 2), { bold: isSelected, underline: isSelected }),
  ];
}

function serviceRow(s: ServiceView, lay: Layout, isSelected: boolean): Line {
  const errTone = s.errorRate === null ? undefined : loadTone(s.errorRate, 0.01, 0.05);
  const busyTone = loadTone(s.utilization, 0.7, 0.9);
  const busy: Seg[] =
    s.utilization === null
      ? [seg(padEnd(NONE, lay.bar + 1 + NUM.pct), { dim: true })]
      : [
          seg(shareBar(s.utilization, lay.bar), { color: busyTone }),
          seg(` ${padStart(pctText(s.utilization), NUM.pct)}`),
        ];
  const row: Seg[] = [
    ...nameCell(s.name, isSelected, lay.name),
    seg(` ${padStart(countText(s.throughput), NUM.rate)}`),
    seg(` ${padStart(pctText(s.errorRate), NUM.err)}`, { color: errTone, bold: errTone === 'red' }),
    seg(` ${padStart(msText(s.p50Ms), NUM.p50)}`),
    seg(` ${padStart(msText(s.p99Ms), NUM.p99)}`, { bold: true }),
    seg(' '),
    ...busy,
    seg(` ${padStart(countText(s.queued), NUM.queued)}`, { color: s.queued > 0 ? 'yellow' : undefined }),
    seg(` ${padStart(String(s.replicas), NUM.replicas)}`),
  ];
  if (lay.version > 0) row.push(seg(` ${padEnd(s.version ?? '', lay.version)}`, { color: 'blue' }));
  return row;
}

function workloadRow(w: WorkloadView, lay: Layout, isSelected: boolean): Line {
  const err = w.availability === null ? null : 1 - w.availability;
  const tone = err === null ? undefined : loadTone(err, 0.01, 0.05);
  return [
    ...nameCell(w.name, isSelected, lay.name),
    seg(` ${padStart(countText(w.throughput), NUM.rate)}`),
    seg(` ${padStart(pctText(err), NUM.err)}`, { color: tone, bold: tone === 'red' }),
    seg(` ${padStart('', NUM.p50)}`),
    seg(` ${padStart(msText(w.p99Ms), NUM.p99)}`, { bold: true }),
  ];
}

/** The table's lines: at most `height`, each at most `width` cells once fitted. */
export function serviceTableLines(snapshot: DashboardSnapshot, width: number, height: number): Line[] {
  if (height <= 0) return [];
  const l = labels(snapshot.lang);
  const services = snapshot.services.filter((s) => s.kind === 'service');
  if (services.length === 0 && snapshot.workloads.length === 0) return [];
  const lay = layout(services, l, width);
  const rows = services.map((s) => serviceRow(s, lay, s.name === snapshot.selected));
  const out: Line[] = [headerRow(l, lay, l.service)];
  if (rows.length + 1 > height) {
    // Keep the selected service in view.
    const fit = Math.max(0, height - 2);
    const selected = services.findIndex((s) => s.name === snapshot.selected);
    const first = selected >= fit ? selected - fit + 1 : 0;
    const shown = rows.slice(first, first + fit);
    return [...out, ...shown, [seg(`  ${l.more(rows.length - shown.length)}`, { dim: true })]].slice(
      0,
      height,
    );
  }
  out.push(...rows);
  const workloads = snapshot.workloads;
  if (workloads.length > 0 && out.length + 1 + workloads.length <= height) {
    const head = [
      padEnd(`  ${l.workload}`, lay.name),
      padStart(l.perSecond, NUM.rate),
      padStart(l.errorPct, NUM.err),
      padStart('', NUM.p50),
      padStart('p99', NUM.p99),
    ];
    out.push([seg(head.join(' '), { bold: true, dim: true })]);
    out.push(...workloads.map((w) => workloadRow(w, lay, w.name === snapshot.selected)));
  }
  return out;
}

/** The per-service numbers, sized to `width` × at most `height`. */
export function ServiceTable({ snapshot, width, height }: ServiceTableProps) {
  const lines = serviceTableLines(snapshot, width, height);
  return <Lines lines={lines} width={width} height={lines.length} />;
}
