/**
 * The topology figure, from `results.edges`: workloads (squares) and services (circles) laid out
 * in columns by call depth (workloads at 0, then the shortest number of calls from one), edges
 * as lines with an arrowhead near the callee and the number of calls they carried. Positions are
 * computed here in pixels (the spec's x/y use no scale), so a layout is exact and reproducible.
 */
import type { EdgeResults, ResultsDocument } from '../results.ts';
import { placeEdgeLabels } from './edge-labels.ts';
import { countText, pctText } from './format.ts';
import type { ReportLabels } from './labels.ts';
import { CHART_CONFIG, type TopLevelSpec } from './render.ts';

const COLUMN = 230;
const ROW = 78;
const MARGIN_X = 70;
const MARGIN_Y = 34;
const NODE_RADIUS = 11;
const OK_EDGE = '#8a8a8a';
const FAILED_EDGE = '#d32f2f';

/** A node of the drawing. */
export interface TopologyNode {
  readonly name: string;
  readonly kind: 'workload' | 'service';
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  /** A short line under the name (rate or utilization). */
  readonly note: string;
}

/** An edge of the drawing, from caller to callee. */
export interface TopologyEdge {
  readonly key: string;
  /** Node ids of the two ends (`w:<workload>` or `s:<service>`). */
  readonly caller: string;
  readonly service: string;
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
  readonly calls: number;
  readonly failed: number;
  readonly text: string;
}

/** The laid-out graph; nodes in layer order, top to bottom. */
export interface TopologyLayout {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
  readonly width: number;
  readonly height: number;
}

/** A call between two nodes, by node id (`w:<workload>`, `s:<service>`). */
interface Link {
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly edge: EdgeResults;
}

/**
 * The node ids of the edges. A caller is a workload when its name is one and no service has it,
 * or, when both have it, on the edge into the service of the same name (a workload and its entry
 * service may share a name; a service does not call itself over the network).
 */
function links(results: ResultsDocument): Link[] {
  const isWorkload = (n: string): boolean => n in results.workloads;
  const isService = (n: string): boolean => n in results.services;
  return Object.entries(results.edges ?? {}).map(([key, edge]) => {
    const workloadCaller =
      isWorkload(edge.caller) && (!isService(edge.caller) || edge.caller === edge.service);
    return { key, from: `${workloadCaller ? 'w' : 's'}:${edge.caller}`, to: `s:${edge.service}`, edge };
  });
}

/** Depth of every node: BFS from the sources; nodes no source reaches go after the deepest. */
function depths(
  ids: readonly string[],
  sources: readonly string[],
  calls: readonly Link[],
): Map<string, number> {
  const depth = new Map<string, number>();
  let frontier = [...sources];
  for (const s of frontier) depth.set(s, 0);
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const c of calls) {
      if (frontier.includes(c.from) && !depth.has(c.to)) {
        depth.set(c.to, d);
        next.push(c.to);
      }
    }
    frontier = next;
  }
  const deepest = Math.max(0, ...depth.values());
  for (const n of ids) if (!depth.has(n)) depth.set(n, deepest + 1);
  return depth;
}

/** Lays the graph out (deterministic: the results' order, then one barycentre pass per layer). */
export function topologyLayout(results: ResultsDocument, L: ReportLabels): TopologyLayout {
  const calls = links(results);
  const ids = [
    ...Object.keys(results.workloads).map((n) => `w:${n}`),
    ...Object.keys(results.services).map((n) => `s:${n}`),
  ];
  for (const c of calls) for (const n of [c.from, c.to]) if (!ids.includes(n)) ids.push(n);
  const callees = new Set(calls.map((c) => c.to));
  // Workloads, and callers that nobody calls, start the layers.
  const sources = ids.filter((n) => n.startsWith('w:') || !callees.has(n));
  const depth = depths(ids, sources, calls);
  const layers: string[][] = [];
  for (const n of ids) {
    const d = depth.get(n)!;
    layers[d] = [...(layers[d] ?? []), n];
  }
  const rowOf = new Map<string, number>();
  layers.forEach((layer, d) => {
    if (d > 0) {
      // Order a layer by the mean row of its callers, to avoid crossings; stable for ties.
      const key = (n: string): number => {
        const rows = calls.filter((c) => c.to === n && rowOf.has(c.from)).map((c) => rowOf.get(c.from)!);
        return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
      };
      const keyed = layer.map((n, i) => ({ n, i, k: key(n) }));
      keyed.sort((a, b) => a.k - b.k || a.i - b.i);
      layer.splice(0, layer.length, ...keyed.map((k) => k.n));
    }
    const offset = (tallest(layers) - layer.length) / 2;
    layer.forEach((n, i) => {
      rowOf.set(n, i + offset);
    });
  });
  const position = (id: string): { x: number; y: number } => ({
    x: MARGIN_X + depth.get(id)! * COLUMN,
    y: MARGIN_Y + rowOf.get(id)! * ROW,
  });
  const nodes: TopologyNode[] = layers.flat().map((id) => {
    const name = id.slice(2);
    const kind = id.startsWith('w:') ? 'workload' : 'service';
    const w = kind === 'workload' ? results.workloads[name] : undefined;
    const s = kind === 'service' ? results.services[name] : undefined;
    const note =
      w !== undefined
        ? `${countText(w.requests)} ${L.requests}`
        : s !== undefined && s.utilization !== null
          ? `${L.utilization} ${pctText(s.utilization)}`
          : '';
    return { name, kind, depth: depth.get(id)!, ...position(id), note };
  });
  const drawn: TopologyEdge[] = [];
  for (const { key, from, to, edge: e } of calls) {
    if (from === to) continue; // a call to itself has no line to draw
    const a = position(from);
    const b = position(to);
    const text = `${countText(e.calls)} ${L.calls}${e.failed > 0 ? `, ${countText(e.failed)} ${L.failedCount}` : ''}`;
    drawn.push({
      key,
      caller: from,
      service: to,
      x: a.x,
      y: a.y,
      x2: b.x,
      y2: b.y,
      calls: e.calls,
      failed: e.failed,
      text,
    });
  }
  return {
    nodes,
    edges: drawn,
    width: MARGIN_X * 2 + (layers.length - 1) * COLUMN,
    height: MARGIN_Y * 2 + (tallest(layers) - 1) * ROW + 14,
  };
}

function tallest(layers: readonly (readonly string[])[]): number {
  return Math.max(1, ...layers.map((l) => l?.length ?? 0));
}

/** The topology's Vega-Lite spec: rules for edges, triangles for arrowheads, points and labels for nodes. */
export function topologySpec(layout: TopologyLayout, L: ReportLabels): TopLevelSpec {
  const pixel = (field: string): Record<string, unknown> => ({ field, type: 'quantitative', scale: null });
  const maxCalls = Math.max(1, ...layout.edges.map((e) => e.calls));
  const count = (pick: (e: TopologyEdge) => string, name: string): number =>
    layout.edges.filter((e) => pick(e) === name).length;
  // A label is best where the edges spread out: near the callee of a fan-out, near the caller
  // of a fan-in, else halfway.
  const spots = placeEdgeLabels(
    layout.edges.map((e) => {
      const fanOut = count((o) => o.caller, e.caller);
      const fanIn = count((o) => o.service, e.service);
      return { ...e, along: fanOut > fanIn ? 0.68 : fanIn > fanOut ? 0.32 : 0.5 };
    }),
    layout.nodes,
    NODE_RADIUS,
  );
  const edges = layout.edges.map((e) => {
    const dx = e.x2 - e.x;
    const dy = e.y2 - e.y;
    // The arrowhead sits just outside the callee's symbol.
    const back = (NODE_RADIUS + 7) / (Math.hypot(dx, dy) || 1);
    return {
      ...e,
      width: 1 + 5 * Math.sqrt(e.calls / maxCalls),
      colour: e.failed > 0 ? FAILED_EDGE : OK_EDGE,
      headX: e.x2 - dx * back,
      headY: e.y2 - dy * back,
      angle: (Math.atan2(dy, dx) * 180) / Math.PI,
    };
  });
  const labels = layout.edges.flatMap((e, i) => {
    const spot = spots[i];
    return spot === null || spot === undefined
      ? []
      : [{ key: e.key, text: e.text, labelX: spot.x, labelY: spot.y }];
  });
  const nodes = layout.nodes.map((n) => ({
    ...n,
    kindLabel: n.kind === 'workload' ? L.workload : L.service,
  }));
  return {
    config: CHART_CONFIG,
    description: 'topology: who calls whom, with the calls per edge',
    width: layout.width,
    height: layout.height,
    layer: [
      ...[OK_EDGE, FAILED_EDGE].flatMap((colour) => {
        // Edges of one colour per layer: a colour encoding would merge with the nodes' legend.
        const data = { values: edges.filter((e) => e.colour === colour) };
        return [
          {
            data,
            mark: { type: 'rule', color: colour },
            encoding: {
              x: pixel('x'),
              y: pixel('y'),
              x2: { field: 'x2' },
              y2: { field: 'y2' },
              strokeWidth: { field: 'width', type: 'quantitative', scale: null },
            },
          },
          {
            data,
            mark: {
              type: 'point',
              shape: 'triangle-right',
              filled: true,
              size: 90,
              opacity: 1,
              color: colour,
            },
            encoding: {
              x: pixel('headX'),
              y: pixel('headY'),
              angle: { field: 'angle', type: 'quantitative', scale: null },
            },
          },
        ];
      }),
      // The calls, over a white halo so that the lines do not cross them out.
      ...haloText(labels, { fontSize: 10, color: '#333' }, 'labelX', 'labelY', 'text'),
      {
        data: { values: nodes },
        mark: { type: 'point', filled: true, size: 380, opacity: 1, stroke: '#fff', strokeWidth: 1.5 },
        encoding: {
          x: pixel('x'),
          y: pixel('y'),
          shape: {
            field: 'kindLabel',
            type: 'nominal',
            title: L.kind,
            scale: { domain: [L.workload, L.service], range: ['square', 'circle'] },
          },
          color: {
            field: 'kindLabel',
            type: 'nominal',
            title: L.kind,
            scale: { domain: [L.workload, L.service], range: ['#1565c0', '#ef6c00'] },
          },
        },
      },
      ...haloText(
        nodes,
        { fontSize: 12, fontWeight: 'bold', baseline: 'bottom', dy: -NODE_RADIUS - 4 },
        'x',
        'y',
        'name',
      ),
      ...haloText(
        nodes,
        { fontSize: 10, color: '#555', baseline: 'top', dy: NODE_RADIUS + 4 },
        'x',
        'y',
        'note',
      ),
    ],
  } as TopLevelSpec;
}

/** A text layer over a white halo of itself (two layers), at pixel positions. */
function haloText(
  values: readonly object[],
  mark: Record<string, unknown>,
  x: string,
  y: string,
  text: string,
): Record<string, unknown>[] {
  const encoding = {
    x: { field: x, type: 'quantitative', scale: null },
    y: { field: y, type: 'quantitative', scale: null },
    text: { field: text },
  };
  return [
    {
      data: { values },
      mark: { type: 'text', ...mark, stroke: '#fff', strokeWidth: 4, strokeJoin: 'round' },
      encoding,
    },
    { data: { values }, mark: { type: 'text', ...mark }, encoding },
  ];
}
