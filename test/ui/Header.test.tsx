import { describe, expect, it } from 'vitest';
import { Header } from '../../src/ui/Header.tsx';
import { expectFits, rows, text } from './frame.ts';
import { shopSnapshot } from './snapshots.ts';

describe('Header', () => {
  it('shows scenario, state, speed, seed, simulated time over duration and progress', () => {
    const frame = rows(<Header snapshot={shopSnapshot()} width={80} />);
    expect(frame[0]).toContain('shop-outage');
    expect(frame[0]).toContain('▶ running');
    expect(frame[0]).toContain('speed ×10');
    expect(frame[0]).toContain('seed 42');
    expect(frame[1]).toContain('simulated time 01:00.0 / 02:00.0');
    expect(frame[1]).toMatch(/▕█+░+▏ 50%/);
    expectFits(frame, 80, 2);
  });

  it('names every pace state in words, not only by its glyph', () => {
    const state = (s: 'running' | 'paused' | 'narration' | 'ended') =>
      text(<Header snapshot={shopSnapshot({ pacing: { speed: 1, state: s } })} width={80} />);
    expect(state('paused')).toContain('‖ paused');
    expect(state('narration')).toContain('↵ waiting for a key');
    expect(state('ended')).toContain('■ ended');
  });

  it('shows speeds from ×0.1 to ×1000, and max (spelled out when wide)', () => {
    const speed = (s: number | 'max', width = 80) =>
      text(<Header snapshot={shopSnapshot({ pacing: { speed: s, state: 'running' } })} width={width} />);
    expect(speed(0.1)).toContain('×0.1');
    expect(speed(1000)).toContain('×1000');
    expect(speed('max')).toContain('speed max');
    expect(speed('max', 120)).toContain('speed as fast as possible');
  });

  it('shows the status message when set, and the warm-up while in it', () => {
    const frame = text(
      <Header
        snapshot={shopSnapshot({
          status: 'killed payments#2',
          clock: { nowMs: 2_000, durationMs: 60_000, warmupMs: 5_000 },
        })}
        width={100}
      />,
    );
    expect(frame).toContain('» killed payments#2');
    expect(frame).toContain('(warm-up)');
    expect(text(<Header snapshot={shopSnapshot()} width={100} />)).not.toContain('»');
  });

  it('speaks Spanish', () => {
    const frame = text(<Header snapshot={shopSnapshot({ lang: 'es' })} width={80} />);
    for (const word of ['en marcha', 'velocidad ×10', 'semilla 42', 'tiempo simulado'])
      expect(frame).toContain(word);
  });
});
