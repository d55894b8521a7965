/**
 * The reference floor: the smallest hand-written M/M/1 simulation (a binary heap, two events per
 * request, exponential draws from Math.random, no metrics). It tells how fast this machine runs
 * the bare minimum, so microsim's figures can be read as a multiple of it on any machine.
 * Prints one JSON line like bench/one.ts.
 */
import { performance } from 'node:perf_hooks';

interface Ev {
  at: number;
  seq: number;
  fn: (arg: Req | null) => void;
  arg: Req | null;
}
interface Req {
  t: number;
  id: string;
}

const heap: Ev[] = [];
let seq = 0;
let now = 0;
const before = (a: Ev, b: Ev): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

function push(at: number, fn: Ev['fn'], arg: Req | null): void {
  const ev: Ev = { at, seq: seq++, fn, arg };
  let i = heap.length;
  heap.push(ev);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(ev, heap[p]!)) break;
    heap[i] = heap[p]!;
    i = p;
  }
  heap[i] = ev;
}

function pop(): Ev {
  const top = heap[0]!;
  const last = heap.pop()!;
  const n = heap.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && before(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
  return top;
}

const END_MS = 125_000_000; // λ = 8/s for 125,000 s: about 1,000,000 requests
const exp = (mean: number): number => -mean * Math.log(1 - Math.random());
const queue: Req[] = [];
let busy = false;
let done = 0;

function depart(): void {
  done++;
  const next = queue.shift();
  if (next === undefined) busy = false;
  else push(now + exp(100), depart, next);
}

function arrive(): void {
  const req: Req = { t: now, id: `req-${seq}` };
  if (busy) queue.push(req);
  else {
    busy = true;
    push(now + exp(100), depart, req);
  }
  const next = now + exp(125);
  if (next < END_MS) push(next, arrive, null);
}

push(0, arrive, null);
const started = performance.now();
let events = 0;
while (heap.length > 0) {
  const ev = pop();
  now = ev.at;
  events++;
  ev.fn(ev.arg);
}
const wallMs = performance.now() - started;
console.log(
  JSON.stringify({
    scenario: 'floor',
    requests: done,
    hops: done,
    events,
    wallMs,
    requestsPerSec: done / (wallMs / 1000),
    eventsPerSec: events / (wallMs / 1000),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    endReason: 'completed',
  }),
);
