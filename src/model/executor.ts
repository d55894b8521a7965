/**
 * Moves requests through the world: client → load balancer → network → instance (queue, worker,
 * work) → downstream calls → answer back. Every hop ends exactly once, `ok` or with one reason,
 * and reports to its caller (a parent hop, or the workload's client).
 *
 * Worker holding: with `thread-per-request` a hop takes a worker on arrival and keeps it until it
 * answers (downstream waits included); with `non-blocking` it takes one only for its own work.
 * An in-process call (same service) runs on the caller's instance without network or balancer;
 * under thread-per-request it uses the caller's worker.
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { FailureCause, FailureReason, Signals } from '../signals.ts';
import { GRANT_RUN, GRANT_WORK, Hop, type RequestRecord } from './hop.ts';
import type { Instance, InstanceHost } from './instance.ts';
import type { EdgeLatency } from './network.ts';
import type { CallRuntime, EndpointRuntime } from './topology.ts';

export interface Executor extends InstanceHost {
  /** Sends a new user request from `workload`'s client to `entry`. */
  submit(
    workload: string,
    entry: EndpointRuntime,
    edge: EdgeLatency,
    onDone: RequestRecord['onDone'],
  ): RequestRecord;
  /** Requests submitted so far. */
  readonly submitted: number;
  /** Requests answered so far. */
  readonly completed: number;
}

export interface ExecutorDeps {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly maxCallDepth: number;
  readonly onUnstable: (instance: Instance) => void;
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const { engine, bus, maxCallDepth } = deps;
  let submitted = 0;
  let completed = 0;

  /** Sends `hop` over its network edge to its endpoint's service (or fails it at once). */
  function send(hop: Hop): void {
    if (hop.depth > maxCallDepth) return fail(hop, 'depth_exceeded', null);
    const instance = hop.endpoint.service.pick();
    if (instance === undefined) return fail(hop, 'no_instance', null);
    hop.instance = instance;
    instance.active++;
    const edge = hop.edge!;
    if (edge.zero) arrive(hop);
    else engine.post(edge.sample(), arrive, hop);
  }

  function arrive(hop: Hop): void {
    const instance = hop.instance!;
    hop.arrivedAt = engine.now;
    const topo = hop.endpoint.service;
    if (!hop.inProcess) topo.stats.arrivals++;
    if (topo.ps) {
      if (!hop.inProcess) {
        if (!instance.psAdmits()) return fail(hop, 'queue_full', null);
        instance.psAdmitted++;
        hop.admitted = true;
      }
      return run(hop);
    }
    if (!hop.inProcess && topo.tpr) {
      hop.grant = GRANT_RUN;
      const got = instance.acquire(hop);
      if (got === 'full') return fail(hop, 'queue_full', null);
      if (got === 'queued') return;
    }
    run(hop);
  }

  /** Runs the hop's program from `pc` until it must wait or it ends. */
  function run(hop: Hop): void {
    const ops = hop.endpoint.ops;
    hop.running = true;
    while (hop.pc < ops.length) {
      const op = ops[hop.pc++]!;
      if (op.kind === 'work') {
        hop.running = false;
        return startWork(hop);
      }
      const rng = hop.endpoint.service.routingRng;
      if (op.kind === 'call') {
        if (op.call.probability < 1 && rng() >= op.call.probability) continue;
        hop.pending = 1;
        call(hop, op.call);
      } else if (op.kind === 'parallel') {
        // Decide every call of the group first (in order), then start them: a call answered in
        // the same instant must not see `pending` reach 0 before its siblings are counted.
        const chosen = op.certain
          ? op.calls
          : op.calls.filter((c) => c.probability >= 1 || rng() < c.probability);
        hop.pending = chosen.length;
        for (const c of chosen) call(hop, c);
      } else {
        const u = rng();
        const cumulative = op.cumulative;
        let i = 0;
        while (i < cumulative.length && u >= cumulative[i]!) i++;
        if (i === cumulative.length) continue;
        hop.pending = 1;
        call(hop, op.calls[i]!);
      }
      if (hop.pending > 0) {
        hop.running = false;
        return;
      }
      if (hop.failedCause !== null) {
        hop.running = false;
        return fail(hop, 'dependency_failed', hop.failedCause);
      }
    }
    hop.running = false;
    succeed(hop);
  }

  /** Starts the hop's own work; the hop continues (or fails) from a later callback. */
  function startWork(hop: Hop): void {
    const ep = hop.endpoint;
    const workMs = ep.sampleWork();
    const instance = hop.instance!;
    if (ep.service.ps) {
      const stats = ep.service.stats;
      stats.holds++;
      stats.holdMs += workMs;
      instance.psAdd(hop, workMs);
      return;
    }
    if (!ep.service.tpr) {
      hop.grant = GRANT_WORK;
      const got = instance.acquire(hop);
      if (got === 'full') return fail(hop, 'queue_full', null);
      if (got === 'queued') {
        hop.pendingWorkMs = workMs;
        return;
      }
    }
    engine.post(workMs, workDone, hop);
  }

  function workDone(hop: Hop): void {
    if (!hop.endpoint.service.tpr) releaseWorker(hop);
    run(hop);
    drainGrants();
  }

  /**
   * Hops granted a worker while another hop was ending wait here and are resumed in order, after
   * the releasing hop has finished ending. A loop, not recursion: when a freed worker passes
   * through thousands of queued hops that fail at once, the stack stays flat.
   */
  const grants: (Hop | undefined)[] = [];
  let grantCount = 0;
  let draining = false;

  function drainGrants(): void {
    if (draining || grantCount === 0) return;
    draining = true;
    try {
      for (let i = 0; i < grantCount; i++) {
        const hop = grants[i]!;
        grants[i] = undefined;
        if (hop.grant === GRANT_RUN) run(hop);
        else engine.post(hop.pendingWorkMs, workDone, hop);
      }
    } finally {
      // Slots are reused rather than truncated: resizing an array is slow on the hot path.
      grantCount = 0;
      draining = false;
    }
  }

  function releaseWorker(hop: Hop): void {
    const stats = hop.endpoint.service.stats;
    const before = hop.residenceMs;
    hop.instance!.release(hop);
    stats.holds++;
    stats.holdMs += hop.residenceMs - before;
  }

  function call(parent: Hop, c: CallRuntime): void {
    const child = new Hop(parent.request, c.edge, c.target, parent, parent.depth + 1, c.soft, c.inProcess);
    if (c.inProcess) {
      if (child.depth > maxCallDepth) return fail(child, 'depth_exceeded', null);
      child.instance = parent.instance;
      arrive(child);
    } else {
      send(child);
    }
  }

  function succeed(hop: Hop): void {
    end(hop, null, null);
  }

  function fail(hop: Hop, reason: FailureReason, cause: FailureCause | null): void {
    end(hop, reason, cause ?? { reason, service: hop.endpoint.service.name, endpoint: hop.endpoint.name });
  }

  function end(hop: Hop, reason: FailureReason | null, cause: FailureCause | null): void {
    if (hop.ended) throw new Error(`hop of req-${hop.request.id} at ${hop.endpoint.name} ended twice`);
    hop.ended = true;
    hop.reason = reason;
    hop.failedCause = cause;
    const instance = hop.instance;
    if (hop.holding) releaseWorker(hop);
    if (instance !== null && !hop.inProcess) instance.active--;
    if (hop.admitted) instance!.psAdmitted--;
    if (hop.arrivedAt >= 0 && bus.listening('hop.completed')) {
      const now = engine.now;
      bus.emit('hop.completed', {
        at: now,
        requestId: hop.request.id,
        service: hop.endpoint.service.name,
        endpoint: hop.endpoint.name,
        instance: instance!.id,
        arrivedAt: hop.arrivedAt,
        waitMs: hop.waitMs,
        residenceMs: hop.residenceMs,
        latencyMs: now - hop.arrivedAt,
        inProcess: hop.inProcess,
        outcome: reason === null ? 'ok' : 'failed',
        reason: reason ?? undefined,
      });
    }
    // The answer travels back over the network unless the call was in-process or never left.
    const edge = hop.edge;
    if (edge === null || hop.arrivedAt < 0 || edge.zero) deliver(hop);
    else engine.post(edge.sample(), deliver, hop);
    drainGrants();
  }

  function deliver(hop: Hop): void {
    const parent = hop.parent;
    if (parent === null) return completeRequest(hop);
    if (hop.reason !== null && !hop.soft && parent.failedCause === null) parent.failedCause = hop.failedCause;
    parent.pending--;
    if (parent.pending > 0 || parent.running) return;
    if (parent.failedCause !== null) return fail(parent, 'dependency_failed', parent.failedCause);
    run(parent);
  }

  function completeRequest(root: Hop): void {
    const req = root.request;
    completed++;
    const cause = root.failedCause;
    const reason = root.reason;
    const now = engine.now;
    bus.emit('request.completed', {
      at: now,
      id: req.id,
      workload: req.workload,
      service: root.endpoint.service.name,
      endpoint: root.endpoint.name,
      arrivedAt: req.arrivedAt,
      latencyMs: now - req.arrivedAt,
      outcome: reason === null ? 'ok' : 'failed',
      reason: reason ?? undefined,
      cause: cause ?? undefined,
    });
    req.onDone?.(req);
  }

  return {
    submit(workload, entry, edge, onDone) {
      const req: RequestRecord = { id: ++submitted, workload, arrivedAt: engine.now, onDone };
      bus.emit('request.arrived', {
        at: req.arrivedAt,
        id: req.id,
        workload,
        service: entry.service.name,
        endpoint: entry.name,
      });
      send(new Hop(req, edge, entry, null, 1, false, false));
      return req;
    },
    get submitted() {
      return submitted;
    },
    get completed() {
      return completed;
    },
    granted(hop) {
      grants[grantCount++] = hop;
    },
    psDone(hop) {
      run(hop);
    },
    unstable(instance) {
      deps.onUnstable(instance);
    },
  };
}
