// @jsxRuntime automatic
// @jsxImportSource react
/**
 * Who talks to whom, and in what shape each service is: services and brokers by call depth,
 * each with its instances as glyphs (see `INSTANCE_GLYPHS`), its outgoing edges with their
 * breaker marks, and a broker's queues with their backlog.
 *
 * Wide: one column per depth, left to right. Narrow (or when the columns would not fit the
 * height): one row per service or broker, top-down in depth order, indented by depth.
 */
import type { DashboardSnapshot, EdgeView, QueueView, ServiceView } from '../observe/dashboard-model.ts';
import { cellWidth, truncate } from './cells.ts';
import { countText, msText } from './format.ts';
import { backlogBar, breakerMark, breakerSegs, INSTANCE_GLYPHS, legendLine } from './glyphs.ts';
import { type Labels, labels } from './i18n.ts';
import { fitLine, type Line, Lines, lineWidth, type Seg, seg } from './Lines.tsx';

/** Narrowest useful column in the columns layout. */
const MIN_COLUMN = 24;
const GAP = 2;

export interface TopologyProps {
  readonly snapshot: DashboardSnapshot;
  readonly width: number;
  /** Rows available; the panel takes at most this many. */
  readonly height: number;
}

interface Ctx {
  readonly l: Labels;
  readonly selected: string | null;
  readonly edgesFrom: ReadonlyMap<string, readonly EdgeView[]>;
  readonly queuesOf: ReadonlyMap<string, readonly QueueView[]>;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The instance glyphs, at most `room` cells: the rest summed up as `+k`. */
function glyphSegs(service: ServiceView, room: number): Seg[] {
  const all = service.instances;
  const shown = all.length <= room ? all.length : Math.max(0, room - 1 - String(all.length).length);
  const out: Seg[] = all.slice(0, shown).map((i) => {
    const g = INSTANCE_GLYPHS[i.state];
    return seg(g.glyph, { color: g.tone });
  });
  if (shown < all.length) out.push(seg(`+${all.length - shown}`, { dim: true }));
  return out;
}

function nameSegs(service: ServiceView, ctx: Ctx): Seg[] {
  const isSelected = service.name === ctx.selected;
  return [
    seg(isSelected ? '▸ ' : '  ', { color: 'cyan', bold: true }),
    seg(service.name, {
      bold: true,
      underline: isSelected,
      color: service.kind === 'broker' ? 'magenta' : undefined,
    }),
  ];
}

function edgeSegs(edge: EdgeView, l: Labels): Seg[] {
  const arrow = edge.kind === 'call' ? '→' : '⇢';
  const mark = breakerSegs(edge.breaker, l);
  return [seg(`${arrow} `, { dim: true }), seg(edge.to), ...(mark.length ? [seg(' '), ...mark] : [])];
}

/**
 * A queue in parts: its name, log-scale backlog bar and waiting count; in flight; then, when
 * there are any, dead-lettered messages and, when `wide`, the age of the oldest waiting one.
 */
function queueParts(q: QueueView, l: Labels, wide: boolean, barWidth: number): Line[] {
  const parts: Line[] = [
    [
      seg(`${q.queue} `),
      seg(backlogBar(q.waiting, barWidth), {
        color: q.waiting > 0 ? 'yellow' : undefined,
        dim: q.waiting === 0,
      }),
      seg(` ${countText(q.waiting)} `, { bold: q.waiting > 0 }),
      seg(l.waiting, { dim: true }),
    ],
    [seg(`${countText(q.inFlight)} `), seg(l.inFlight, { dim: true })],
  ];
  if (q.deadLettered > 0) {
    parts.push([
      seg(`${countText(q.deadLettered)} `, { color: 'red', bold: true }),
      seg(l.deadLettered, { dim: true }),
    ]);
  }
  if (wide && q.oldestAgeMs > 0) parts.push([seg(`${l.oldest} `, { dim: true }), seg(msText(q.oldestAgeMs))]);
  return parts;
}

/** One node as a block of lines, for a column `width` cells wide. */
function nodeBlock(service: ServiceView, ctx: Ctx, width: number): Line[] {
  const { l } = ctx;
  const title: Seg[] = nameSegs(service, ctx);
  if (service.version) title.push(seg(` ${service.version}`, { dim: true }));
  const block: Line[] = [title];
  if (service.instances.length > 0) block.push([seg('  '), ...glyphSegs(service, width - 2)]);
  for (const q of ctx.queuesOf.get(service.name) ?? []) {
    const [head, ...rest] = queueParts(q, l, false, 4);
    const first: Line = [seg('  '), ...head!];
    // The backlog count is the point of the line: when the column is too narrow for the name,
    // the bar and the count together, the count goes on the next line rather than being cut.
    if (lineWidth(first) > width) {
      block.push([seg('  '), ...head!.slice(0, 2)], [seg('    '), ...head!.slice(2)]);
    } else block.push(first);
    block.push(...rest.map((part) => [seg('    '), ...part]));
  }
  for (const e of ctx.edgesFrom.get(service.name) ?? []) block.push([seg('  '), ...edgeSegs(e, l)]);
  return block;
}

/** Columns by depth, or null when they do not fit `width` × `height`. */
function columnLines(snapshot: DashboardSnapshot, ctx: Ctx, width: number, height: number): Line[] | null {
  const byDepth = [...groupBy(snapshot.services, (s) => String(s.depth)).entries()]
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, list]) => list);
  const n = byDepth.length;
  const colWidth = Math.floor((width - GAP * (n - 1)) / n);
  if (n === 0 || colWidth < MIN_COLUMN) return null;
  const columns = byDepth.map((list) =>
    list.flatMap((s, i) => [...(i > 0 ? [[] as Line] : []), ...nodeBlock(s, ctx, colWidth)]),
  );
  const rows = Math.max(...columns.map((c) => c.length));
  if (rows + 1 > height) return null;
  const out: Line[] = [];
  for (let r = 0; r < rows; r++) {
    const line: Seg[] = [];
    columns.forEach((col, c) => {
      const cell = fitLine(col[r] ?? [], colWidth);
      line.push(...cell);
      if (c < n - 1) line.push(seg(' '.repeat(colWidth - lineWidth(cell) + GAP)));
    });
    out.push(line);
  }
  return out;
}

/** One row per node, indented by depth, with its glyphs, queues and edges. */
function rowLines(snapshot: DashboardSnapshot, ctx: Ctx, width: number): Line[] {
  const { l } = ctx;
  const indent = (s: ServiceView): number => 2 * Math.min(4, Math.max(0, s.depth - 1));
  const nameWidth = Math.min(
    Math.max(10, Math.floor(width / 4)),
    Math.max(...snapshot.services.map((s) => indent(s) + 2 + s.name.length)),
  );
  const glyphWidth = Math.min(10, Math.max(1, ...snapshot.services.map((s) => s.instances.length)));
  return snapshot.services.map((s) => {
    const [marker, name] = nameSegs(s, ctx);
    const pad = ' '.repeat(indent(s));
    const label = truncate(name!.text, nameWidth - 2 - pad.length);
    const glyphs = glyphSegs(s, glyphWidth);
    // A broker without instances skips the name and glyph columns: its queue needs the room.
    const aligned = glyphs.length > 0 || s.kind === 'service';
    const line: Seg[] = [
      seg(pad),
      marker!,
      { ...name!, text: label },
      seg(' '.repeat(aligned ? nameWidth - 2 - pad.length - cellWidth(label) + 1 : 0)),
    ];
    const edges = [...(ctx.edgesFrom.get(s.name) ?? [])].sort(
      (a, b) => Number(breakerMark(b.breaker, l) !== null) - Number(breakerMark(a.breaker, l) !== null),
    );
    if (aligned) {
      line.push(...glyphs, seg(' '.repeat(Math.max(0, glyphWidth - lineWidth(glyphs)) + 1)));
    }
    for (const e of edges) line.push(seg(' '), ...edgeSegs(e, l));
    // Queues after the edges: the tail is what a narrow line loses.
    for (const q of ctx.queuesOf.get(s.name) ?? []) {
      const parts = queueParts(q, l, width >= 100, 3);
      line.push(seg('  '), ...parts.flatMap((p, i) => (i === 0 ? p : [seg(', '), ...p])));
    }
    return line;
  });
}

/** The legend: instance glyphs always, breaker marks when they fit (they carry their word anyway). */
function legend(l: Labels, width: number): Line {
  const full = legendLine(l);
  const title: Seg[] = [seg(`${l.topology}  `, { bold: true })];
  const cut = full.slice(0, full.length - 4);
  for (const candidate of [[...title, ...full], full, [...title, ...cut], cut]) {
    if (lineWidth(candidate) <= width) return candidate;
  }
  return cut.map((s) => ({ ...s, text: s.text.replace(/ {2}$/, ' ') }));
}

/** The topology's lines: at most `height`, each at most `width` cells once fitted. */
export function topologyLines(snapshot: DashboardSnapshot, width: number, height: number): Line[] {
  if (height <= 0) return [];
  const l = labels(snapshot.lang);
  const ctx: Ctx = {
    l,
    selected: snapshot.selected,
    edgesFrom: groupBy(snapshot.edges, (e) => e.from),
    queuesOf: groupBy(snapshot.queues, (q) => q.broker),
  };
  if (snapshot.services.length === 0) {
    return [legend(l, width), [seg(`(${l.noServices})`, { dim: true })]].slice(0, height);
  }
  const body = columnLines(snapshot, ctx, width, height) ?? rowLines(snapshot, ctx, width);
  const room = height - 1;
  if (body.length <= room) return [legend(l, width), ...body];
  const shown = body.slice(0, Math.max(0, room - 1));
  return [legend(l, width), ...shown, [seg(`  ${l.more(body.length - shown.length)}`, { dim: true })]].slice(
    0,
    height,
  );
}

/** The services' and brokers' map, sized to `width` × at most `height`. */
export function Topology({ snapshot, width, height }: TopologyProps) {
  const lines = topologyLines(snapshot, width, height);
  return <Lines lines={lines} width={width} height={lines.length} />;
}
