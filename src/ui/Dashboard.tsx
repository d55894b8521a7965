// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The live dashboard: header, topology, service table, charts, event log and caption, fitted to
 * exactly `width` × `height` cells (no more rows, no longer lines). Below `MIN_WIDTH` ×
 * `MIN_HEIGHT` it shows only a polite message with the minimum size. The help overlay replaces
 * the panels under the header while shown.
 *
 * Rows are handed out by priority: the header, the caption (a narration is the lesson), the
 * charts (two series at least), a few events; then topology and table get what they need, and
 * what is left goes to the event log.
 */
import { Box } from 'ink';
import type { DashboardSnapshot } from '../observe/dashboard-model.ts';
import { Caption, captionLines } from './Caption.tsx';
import { Charts, chartsLines } from './Charts.tsx';
import { wrapWords } from './cells.ts';
import { EventLog } from './EventLog.tsx';
import { HEADER_HEIGHT, Header } from './Header.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { labels } from './i18n.ts';
import { type Line, Lines, rule, seg } from './Lines.tsx';
import { ServiceTable, serviceTableLines } from './ServiceTable.tsx';
import { Topology, topologyLines } from './Topology.tsx';

export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 24;

export interface DashboardProps {
  readonly snapshot: DashboardSnapshot;
  /** Terminal columns. */
  readonly width: number;
  /** Terminal rows. */
  readonly height: number;
  /** Show the key map instead of the panels. */
  readonly showHelp?: boolean;
  /**
   * Rows of the terminal left empty at the bottom. The live app leaves one: ink clears the whole
   * screen on every frame when its output is as tall as the terminal, which flickers.
   */
  readonly spareRows?: number;
}

/** Rows given to each panel under the header; they sum to at most `height - HEADER_HEIGHT`. */
export interface DashboardLayout {
  readonly topology: number;
  readonly table: number;
  readonly charts: number;
  /** Includes the events' title rule when `eventsRule`. */
  readonly events: number;
  readonly eventsRule: boolean;
  readonly caption: number;
}

/** How the rows under the header are shared out for this snapshot and size. */
export function dashboardLayout(snapshot: DashboardSnapshot, width: number, height: number): DashboardLayout {
  const body = height - HEADER_HEIGHT;
  const roomy = height >= 36 && width >= 100;
  // A narration that waits for the class gets room to be read whole.
  const waiting = snapshot.caption?.waitingForKey === true;
  const caption = captionLines(snapshot, width, (roomy ? 5 : 3) + (waiting ? 2 : 0)).length;
  const charts = chartsLines(snapshot, width, roomy ? 12 : 4).length;
  // At 23 rows (an 80×24 terminal with its last row spare) the event log gives up one row.
  const eventsMin = roomy ? 5 : height < MIN_HEIGHT ? 1 : 2;
  const rest = Math.max(0, body - caption - charts - eventsMin);

  const services = snapshot.services.filter((s) => s.kind === 'service').length;
  const tableCore = Math.min(1 + services, Math.max(2, Math.floor(rest / 2)));
  const topologyWant = topologyLines(snapshot, width, Math.max(0, rest - tableCore)).length;
  let topology = topologyWant;
  let table = tableCore;
  if (topology + table > rest) {
    table = Math.min(tableCore, Math.max(2, Math.floor(rest / 2)));
    topology = Math.max(0, rest - table);
  }
  // Spare rows: first the workloads' rows of the table, then the event log.
  let events = body - caption - charts - topology - table;
  const tableFull = serviceTableLines(snapshot, width, table + Math.max(0, events - eventsMin)).length;
  if (tableFull > table) {
    events -= tableFull - table;
    table = tableFull;
  }
  const eventsRule = events >= 6;
  return { topology, table, charts, events, eventsRule, caption };
}

/** The too-small message, wrapped to the terminal and cut to its height. */
export function tooSmallLines(snapshot: DashboardSnapshot, width: number, height: number): Line[] {
  const l = labels(snapshot.lang);
  const text = l.tooSmall(width, height, MIN_WIDTH, MIN_HEIGHT);
  return wrapWords(text, Math.max(1, width))
    .slice(0, Math.max(0, height))
    .map((line) => [seg(line, { color: 'yellow' })]);
}

/** The whole live screen for one snapshot. */
export function Dashboard({
  snapshot,
  width,
  height: rows,
  showHelp = false,
  spareRows = 0,
}: DashboardProps) {
  if (width < MIN_WIDTH || rows < MIN_HEIGHT) {
    const lines = tooSmallLines(snapshot, width, rows).slice(0, Math.max(1, rows - spareRows));
    return <Lines lines={lines} width={Math.max(1, width)} height={lines.length} />;
  }
  const height = rows - spareRows;
  const body = height - HEADER_HEIGHT;
  if (showHelp) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Header snapshot={snapshot} width={width} />
        <HelpOverlay lang={snapshot.lang} width={width} height={body} />
      </Box>
    );
  }
  const lay = dashboardLayout(snapshot, width, height);
  const events = lay.events - (lay.eventsRule ? 1 : 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header snapshot={snapshot} width={width} />
      <Topology snapshot={snapshot} width={width} height={lay.topology} />
      <ServiceTable snapshot={snapshot} width={width} height={lay.table} />
      <Charts snapshot={snapshot} width={width} height={lay.charts} />
      {lay.eventsRule ? <Lines lines={[rule(width, labels(snapshot.lang).events)]} width={width} /> : null}
      <Box flexDirection="column" width={width} height={events} flexShrink={0}>
        <EventLog snapshot={snapshot} width={width} height={events} />
      </Box>
      <Caption snapshot={snapshot} width={width} height={lay.caption} />
    </Box>
  );
}
