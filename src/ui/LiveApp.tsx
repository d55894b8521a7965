// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The live dashboard application: paces a `LiveRun` at a capped frame rate (10 frames a second),
 * turns key presses into its actions, and renders a snapshot per frame. React sees one snapshot
 * per frame, never individual simulation events. When the run is over it shows the final screen
 * until `q`.
 */
import { useApp, useInput, useStdin, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { DashboardSnapshot } from '../observe/dashboard-model.ts';
import type { ResultsDocument } from '../observe/results.ts';
import type { LiveRun } from '../runtime/live.ts';
import { Dashboard } from './Dashboard.tsx';
import { FinalScreen, type Verdict } from './FinalScreen.tsx';
import { actionFor, type KeyFlags } from './keys.ts';

/** Frames per second: the dashboard never renders more often. */
export const FRAME_RATE = 10;
/** As fast as possible, each frame runs this much wall time of simulation (about 4 frames a second). */
export const MAX_SPEED_SLICE_MS = 240;

export interface FinalView {
  readonly summary: readonly string[];
  readonly verdicts: readonly Verdict[];
}

export interface LiveAppProps {
  readonly run: LiveRun;
  /** The final screen's content for the run's results. */
  readonly conclude: (results: ResultsDocument) => FinalView;
  /** Saves the commands given so far as a scenario timeline; returns what to show. */
  readonly save: () => string;
  /** Called with the results when the user quits. */
  readonly onQuit: (results: ResultsDocument) => void;
  /** The wall clock, in ms (injected so tests can drive time). */
  readonly now?: () => number;
}

function useTerminalSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = () => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

const wallClock = (): number => performance.now();

export function LiveApp({ run, conclude, save, onQuit, now = wallClock }: LiveAppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { width, height } = useTerminalSize();
  const [snapshot, setSnapshot] = useState<DashboardSnapshot>(() => run.snapshot());
  const [help, setHelp] = useState(false);
  const [final, setFinal] = useState<FinalView | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  /** Summary lines scrolled past on the final screen. */
  const [scroll, setScroll] = useState(0);
  const results = useRef<ResultsDocument | null>(null);
  const last = useRef(now());

  // Read through a ref by the frame timer, which is set up once.
  const concludeRef = useRef(conclude);
  concludeRef.current = conclude;
  const conclusion = (): ResultsDocument => {
    if (results.current === null) {
      results.current = run.finish();
      setFinal(concludeRef.current(results.current));
    }
    return results.current;
  };
  const conclusionRef = useRef(conclusion);
  conclusionRef.current = conclusion;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = (): void => {
      const t = now();
      const wallMs = t - last.current;
      last.current = t;
      if (results.current !== null) return;
      // As fast as possible: long slices of simulation between fewer frames, so that drawing
      // costs little of the run; otherwise a frame every 1/FRAME_RATE s.
      const flat = run.speed === 'max' || (run.state === 'running' && run.stepping);
      run.tick(wallMs, flat ? MAX_SPEED_SLICE_MS : 900 / FRAME_RATE);
      if (run.ended) conclusionRef.current();
      setSnapshot(run.snapshot());
      timer = setTimeout(frame, flat ? 1 : Math.max(1, 1000 / FRAME_RATE - (now() - t)));
    };
    timer = setTimeout(frame, 1000 / FRAME_RATE);
    return () => clearTimeout(timer);
  }, [run, now]);

  useInput(
    (input, key) => {
      if (final !== null && (key.upArrow || key.downArrow || key.pageUp || key.pageDown)) {
        const step = key.pageUp || key.pageDown ? Math.max(1, height - 10) : 1;
        setScroll((at) => Math.max(0, at + (key.upArrow || key.pageUp ? -step : step)));
        return;
      }
      // Keys typed quickly arrive together ("\t\t", "kk"): each character is a key press.
      if (input.length > 1 && !key.ctrl && !key.meta) {
        for (const ch of input) onKey(ch, { tab: ch === '\t', return: ch === '\r' });
        return;
      }
      onKey(input, key);
    },
    { isActive: isRawModeSupported === true },
  );

  function onKey(input: string, key: KeyFlags): void {
    const action = actionFor(input, key);
    if (action === null) return;
    setStatus(null);
    switch (action) {
      case 'quit':
        onQuit(conclusion());
        exit();
        return;
      case 'help':
        setHelp((h) => !h);
        return;
      case 'pause':
        run.togglePause();
        break;
      case 'faster':
        run.faster();
        break;
      case 'slower':
        run.slower();
        break;
      case 'max':
        run.toggleMax();
        break;
      case 'step':
        run.step();
        break;
      case 'continue':
        run.continueNarration();
        break;
      case 'next':
        run.select(1);
        break;
      case 'prev':
        run.select(-1);
        break;
      case 'save':
        setStatus(save());
        break;
      default:
        setStatus(run.act(action));
    }
    setSnapshot(run.snapshot());
  }

  if (final !== null) {
    return (
      <FinalScreen
        lang={snapshot.lang}
        summary={final.summary}
        verdicts={final.verdicts}
        scroll={Math.min(scroll, Math.max(0, final.summary.length - 1))}
        width={width}
        height={height - 1}
      />
    );
  }
  const shown = status === null ? snapshot : { ...snapshot, status };
  return <Dashboard snapshot={shown} width={width} height={height} showHelp={help} spareRows={1} />;
}
