/**
 * Where the topology writes each edge's label: a greedy, deterministic placement that tries a
 * few spots along the edge, on either side of it, and takes the first that overlaps no node
 * (its symbol, name and note) and no label placed before; an edge whose label fits nowhere is
 * left unlabelled (its numbers are in the edges table). Text sizes are estimated, as vega does
 * in Node (no fonts are measured).
 */

/** A point where a label is centred (px). */
export interface LabelSpot {
  readonly x: number;
  readonly y: number;
}

/** An edge to label: its ends (px) and its text. */
export interface EdgeToLabel {
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
  readonly text: string;
  /** The preferred spot along the edge, 0 at the caller to 1 at the callee. */
  readonly along: number;
}

/** A node: its centre, and the texts above (name) and below (note) it. */
export interface NodeToAvoid {
  readonly x: number;
  readonly y: number;
  readonly name: string;
  readonly note: string;
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Estimated width of a text (px): Helvetica averages about half its size per character. */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.52;
}

const LABEL_FONT = 10;
const OFFSET = 8;
const centred = (x: number, y: number, w: number, h: number): Box => ({
  x0: x - w / 2,
  y0: y - h / 2,
  x1: x + w / 2,
  y1: y + h / 2,
});
const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The boxes a node takes: its symbol (radius `r`), its name above it and its note below it. */
function nodeBoxes(n: NodeToAvoid, r: number): Box[] {
  const nameH = 15;
  const noteH = 13;
  return [
    centred(n.x, n.y, 2 * r + 4, 2 * r + 4),
    centred(n.x, n.y - r - 4 - nameH / 2, textWidth(n.name, 12) + 6, nameH),
    centred(n.x, n.y + r + 4 + noteH / 2, textWidth(n.note, 10) + 6, noteH),
  ];
}

/** A spot for every edge's label, in the edges' order, or null where none is free. */
export function placeEdgeLabels(
  edges: readonly EdgeToLabel[],
  nodes: readonly NodeToAvoid[],
  nodeRadius: number,
): (LabelSpot | null)[] {
  const taken: Box[] = nodes.flatMap((n) => nodeBoxes(n, nodeRadius));
  return edges.map((e) => {
    const dx = e.x2 - e.x;
    const dy = e.y2 - e.y;
    const length = Math.hypot(dx, dy) || 1;
    // The unit normal that points up the page (for a vertical edge, to the left).
    const up = dx > 0 || (dx === 0 && dy < 0) ? -1 : 1;
    const nx = (up * -dy) / length;
    const ny = (up * dx) / length;
    const w = textWidth(e.text, LABEL_FONT) + 4;
    const h = LABEL_FONT + 4;
    const fractions = [...new Set([e.along, 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8])];
    for (const f of fractions) {
      for (const side of [1, -1]) {
        const x = e.x + dx * f + side * nx * OFFSET;
        const y = e.y + dy * f + side * ny * OFFSET;
        const box = centred(x, y, w, h);
        if (taken.some((t) => overlaps(t, box))) continue;
        taken.push(box);
        return { x, y };
      }
    }
    return null;
  });
}
