/**
 * Moves requests through the world: client → load balancer → network → instance (queue, worker,
 * work) → downstream calls → answer back. Every hop ends exactly once, `ok` or with one reason,
 * and reports to its caller (a parent hop, or the workload's client).
 *
 * Worker holding: with `thread-per-request` a hop takes a worker on arrival and keeps it until it
 * answers (downstream waits included); with `non-blocking` it takes one only for its own work.
 * An in-process call (same service) runs on the caller's instance without network or balancer;
 * under thread-per-request it uses the caller's worker.
 *
 * Calls with policies (timeouts, retries, breakers…) go through `policy-call.ts`; a call without
 * them takes the plain path and pays nothing for them. Faults are flags on instances, endpoints
 * and edges, checked only when set (`faulted`; work time also through `workAdjusted`, which
 * technology profiles set during warm-up).
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { FailureCause, FailureReason, HopSink, Signals } from '../signals.ts';
import { DELIVERY, type Messaging, type MessagingHost } from './broker.ts';
import { GRANT_RUN, GRANT_WORK, Hop, type RequestRecord } from './hop.ts';
import type { Instance, InstanceHost } from './instance.ts';
import type { EdgeLatency } from './network.ts';
import { type ClientRuntime, createPolicyRunner, PolicyCall } from './policy-call.ts';
import type { CallRuntime, EndpointRuntime } from './topology.ts';

export interface Executor extends InstanceHost, MessagingHost {
  /** Connects the world's brokers (publish steps and broker endpoints need them). */
  connectMessaging(messaging: Messaging): void;
  /** Sends a new user request from `workload`'s client to `entry`. */
  submit(
    workload: string,
    entry: EndpointRuntime,
    edge: EdgeLatency,
    onDone: RequestRecord['onDone'],
    client?: ClientRuntime | null,
  ): RequestRecord;
  /** Crashes `instance` now: every hop present fails as `instance_crashed`; the instance is emptied. */
  crash(instance: Instance): void;
  /** Lets work held by a hang fault on `instance` proceed (the hang was reverted). */
  unhang(instance: Instance): void;
  /** From now on, check whether ending hops were orphaned (timeouts or crashes exist). */
  watchOrphans(): void;
  /** Requests submitted so far. */
  readonly submitted: number;
  /** Requests answered so far. */
  readonly completed: number;
}

const NO_DEADLINE = Number.POSITIVE_INFINITY;

export interface ExecutorDeps {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly maxCallDepth: number;
  readonly onUnstable: (instance: Instance) => void;
  /** Hears every completed hop as arguments, besides `hop.completed`'s listeners (see `HopSink`). */
  readonly hopSink: HopSink | null;
}

export function createExecutor(deps: ExecutorDeps): Executor {
  const { engine, bus, maxCallDepth, hopSink } = deps;
  hopSink?.attach();
  // The per-request signals are emitted through their channels: each loop below calls only
  // that signal's listeners, which V8 can then inline (see bus.ts).
  const arrivedChannel = bus.channel('request.arrived');
  const hopChannel = bus.channel('hop.completed');
  const completedChannel = bus.channel('request.completed');
  let submitted = 0;
  let completed = 0;
  let messaging: Messaging | null = null;

  /** Sends `hop` over its network edge to its endpoint's service (or fails it at once). */
  function send(hop: Hop): void {
    if (hop.depth > maxCallDepth) return fail(hop, 'depth_exceeded', null);
    const edge = hop.edge!;
    if (edge.faulted && edge.lost()) {
      // Never arrives: the caller waits (for its timeout).
      if (hop.message !== null) messaging!.lost(hop);
      return;
    }
    const instance = hop.endpoint.service.pick();
    if (instance === undefined) return fail(hop, 'no_instance', null);
    hop.instance = instance;
    instance.active++;
    if (edge.zero) arrive(hop);
    else engine.post(edge.sample(), arrive, hop);
  }

  function arrive(hop: Hop): void {
    const instance = hop.instance!;
    const topo = hop.endpoint.service;
    if (instance.state !== 'ready' && !hop.inProcess && !instance.alive) {
      // The instance crashed (or stopped) while the request travelled: connection refused.
      instance.active--;
      hop.instance = null;
      return fail(hop, 'instance_crashed', null);
    }
    instance.enter(hop);
    hop.arrivedAt = engine.now;
    if (!hop.inProcess) {
      topo.stats.arrivals++;
      if (topo.guarded && !admit(hop, instance)) return;
    } else if (hop.endpoint.errorRate > 0 && topo.faultRng() < hop.endpoint.errorRate) {
      // An endpoint's injected errors come from its own code: in-process calls hit them too
      // (a service-wide error fault stands for its entry point, which in-process calls bypass).
      return fail(hop, 'error_injected', null);
    }
    if (hop.deadlineAt !== NO_DEADLINE && engine.now >= hop.deadlineAt)
      return fail(hop, 'deadline_exceeded', null);
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
      } else if (op.kind === 'publish') {
        if (op.publish.spec.probability < 1 && rng() >= op.publish.spec.probability) continue;
        // A confirmed publish waits for the broker's answer like a call; fire-and-forget does not.
        if (op.publish.spec.confirm) hop.pending = 1;
        messaging!.publish(hop, op.publish);
      } else if (op.kind === 'enqueue') {
        const refused = messaging!.accept(hop);
        if (refused !== null) {
          hop.running = false;
          return fail(hop, refused, null);
        }
        continue;
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
    // A poison message fails at the end of its processing (its side effects are done).
    if (hop.message !== null && hop.message.kind === DELIVERY && hop.message.poison) {
      return fail(hop, 'error_injected', null);
    }
    succeed(hop);
  }

  /**
   * Server-side checks of a service with inbound protections or faults: error injection, the
   * inbound rate limiter and load shedding. False when the hop was failed here.
   */
  function admit(hop: Hop, instance: Instance): boolean {
    const ep = hop.endpoint;
    const topo = ep.service;
    // Independent draws: a service-wide and an endpoint fault combine as 1 − (1 − a)(1 − b).
    const errorRate = 1 - (1 - instance.errorRate) * (1 - ep.errorRate) * (1 - instance.versionErrorRate);
    if (errorRate > 0 && topo.faultRng() < errorRate) {
      fail(hop, 'error_injected', null);
      return false;
    }
    const limiter = instance.inboundLimiter;
    if (limiter !== null && limiter.acquire(engine.now) < 0) {
      rejected(hop, 'rate_limited', `${instance.id} inbound: ${limiter.lastWhy()}`);
      return false;
    }
    const bound = topo.shedQueueWaitMs;
    if (bound < Number.POSITIVE_INFINITY && !topo.ps) {
      const meanHoldMs = topo.stats.holds > 0 ? topo.stats.holdMs / topo.stats.holds : 0;
      const expectedWaitMs =
        instance.busy < instance.workers ? 0 : ((instance.waiting + 1) * meanHoldMs) / instance.workers;
      if (expectedWaitMs > bound) {
        rejected(
          hop,
          'shed',
          `${instance.id} shed a request: expected queue wait ${expectedWaitMs.toFixed(0)} ms > ${bound} ms ` +
            `(${instance.waiting} waiting × ${meanHoldMs.toFixed(1)} ms / ${instance.workers} workers)`,
        );
        return false;
      }
    }
    return true;
  }

  function rejected(hop: Hop, reason: FailureReason, why: string): void {
    bus.emit('call.rejected', {
      at: engine.now,
      caller: callerName(hop),
      service: hop.endpoint.service.name,
      endpoint: hop.endpoint.name,
      reason,
      why,
    });
    fail(hop, reason, null);
  }

  /** The calling service, or the workload for a request's first hop (a broker for a delivery). */
  function callerName(hop: Hop): string {
    if (hop.parent !== null) return hop.parent.endpoint.service.name;
    if (hop.message !== null) return hop.message.caller;
    return hop.call !== null ? hop.call.caller : hop.request.workload;
  }

  /** Starts the hop's own work; the hop continues (or fails) from a later callback. */
  function startWork(hop: Hop): void {
    if (hop.deadlineAt !== NO_DEADLINE && engine.now >= hop.deadlineAt)
      return fail(hop, 'deadline_exceeded', null);
    const ep = hop.endpoint;
    const instance = hop.instance!;
    let workMs = ep.sampleWork();
    if (instance.workAdjusted || ep.faulted) workMs *= instance.workScale(engine.now) * ep.slowFactor;
    hop.workMs += workMs;
    if (ep.service.ps) {
      const stats = ep.service.stats;
      stats.holds++;
      stats.holdMs += workMs;
      if (instance.hung) {
        hop.pendingWorkMs = workMs;
        instance.hungHops.push(hop);
        return;
      }
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
    doWork(hop, workMs);
  }

  /** Runs `workMs` of work for a hop holding a worker (or parks it on a hung instance). */
  function doWork(hop: Hop, workMs: number): void {
    const instance = hop.instance!;
    if (instance.hung) {
      hop.pendingWorkMs = workMs;
      instance.hungHops.push(hop);
      return;
    }
    engine.post(workMs, workDone, hop);
  }

  function workDone(hop: Hop): void {
    if (hop.ended) return; // its instance crashed meanwhile
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
    // The common case (nothing granted) is this one test, small enough for V8 to inline into
    // every caller without spending their inlining budget on the loop below.
    if (grantCount !== 0 && !draining) resumeGranted();
  }

  function resumeGranted(): void {
    draining = true;
    try {
      for (let i = 0; i < grantCount; i++) {
        const hop = grants[i]!;
        grants[i] = undefined;
        if (hop.ended) continue;
        if (hop.deadlineAt !== NO_DEADLINE && engine.now >= hop.deadlineAt)
          fail(hop, 'deadline_exceeded', null);
        else if (hop.grant === GRANT_RUN) run(hop);
        else doWork(hop, hop.pendingWorkMs);
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
    if (c.client !== null) {
      const client = c.client;
      const pc = new PolicyCall(
        client,
        client.state(parent.instance),
        parent,
        parent.request,
        c.target,
        c.edge,
        c.soft,
        c.inProcess,
        parent.endpoint.service.name,
        engine.now,
      );
      return policies.start(pc);
    }
    const child = new Hop(parent.request, c.edge, c.target, parent, parent.depth + 1, c.soft, c.inProcess);
    if (c.inProcess) {
      if (child.depth > maxCallDepth) return fail(child, 'depth_exceeded', null);
      child.instance = parent.instance;
      arrive(child);
    } else {
      send(child);
    }
  }

  /** Sends one attempt of a call with policies. */
  function sendAttempt(pc: PolicyCall): void {
    const parent = pc.parent;
    const hop = new Hop(
      pc.request,
      pc.edge,
      pc.target,
      parent,
      parent === null ? 1 : parent.depth + 1,
      pc.soft,
      pc.inProcess,
    );
    hop.call = pc;
    if (pc.client.spec.propagateDeadline) {
      hop.deadlineAt = Math.min(hop.deadlineAt, pc.timeoutAt, pc.deadlineAt);
    }
    pc.attempt = hop;
    if (pc.inProcess) {
      if (hop.depth > maxCallDepth) return fail(hop, 'depth_exceeded', null);
      hop.instance = parent!.instance;
      arrive(hop);
    } else {
      send(hop);
    }
  }

  /** A call with policies ended: its caller gets the result. */
  function settle(
    pc: PolicyCall,
    reason: FailureReason | null,
    cause: FailureCause | null,
    degraded: boolean,
  ): void {
    const parent = pc.parent;
    if (parent === null) return completeRequest(pc.request, pc.target, reason, cause, degraded);
    report(parent, reason !== null && !pc.soft ? cause : null, degraded);
  }

  const policies = createPolicyRunner({ engine, bus, sendAttempt, settle });

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
    if (instance !== null && hop.arrivedAt >= 0) instance.leave(hop);
    if (instance !== null && !hop.inProcess) {
      instance.active--;
      if (hop.arrivedAt >= 0) {
        if (reason === null) {
          instance.hopsOk++;
          instance.okLatencySumMs += engine.now - hop.arrivedAt;
        } else instance.hopsFailed++;
      }
      const outlier = hop.endpoint.service.outlier;
      // An abandoned attempt was already counted as a failure when its caller timed out.
      if (outlier !== null && hop.arrivedAt >= 0 && !hop.abandoned) outlier(instance, reason !== null);
    }
    if (hop.admitted) instance!.psAdmitted--;
    if (instance !== null && instance.onEmpty !== null && instance.empty) instance.onEmpty();
    const hopListeners = hopChannel.listeners;
    if (hop.arrivedAt >= 0 && (hopSink !== null || hopListeners.length > 0)) {
      // The facts both ways of hearing a hop need, worked out once.
      const now = engine.now;
      const caller = callerName(hop);
      const outcome = reason === null ? (hop.degraded ? 'fallback' : 'ok') : 'failed';
      const wasted = watchingOrphans && hop.orphaned;
      const ep = hop.endpoint;
      if (hopSink !== null) {
        try {
          let id = ep.sinkId;
          if (id < 0) id = ep.sinkId = hopSink.endpoint(ep.service.name, ep.name);
          hopSink.hop(
            id,
            caller,
            hop.arrivedAt,
            now - hop.arrivedAt,
            hop.waitMs,
            hop.residenceMs,
            hop.workMs,
            outcome,
            reason ?? undefined,
            hop.inProcess,
            wasted,
          );
        } catch (error) {
          hopChannel.failed(error);
        }
      }
      if (hopListeners.length > 0) {
        const payload: Signals['hop.completed'] = {
          at: now,
          requestId: hop.request.id,
          span: hop.span,
          parentSpan: hop.parent === null ? 0 : hop.parent.span,
          service: ep.service.name,
          endpoint: ep.name,
          instance: instance!.id,
          arrivedAt: hop.arrivedAt,
          waitMs: hop.waitMs,
          residenceMs: hop.residenceMs,
          latencyMs: now - hop.arrivedAt,
          inProcess: hop.inProcess,
          caller,
          workMs: hop.workMs,
          wasted,
          outcome,
          reason: reason ?? undefined,
        };
        for (let i = 0; i < hopListeners.length; i++) {
          const listener = hopListeners[i]!;
          try {
            listener(payload);
          } catch (error) {
            hopChannel.failed(error);
          }
        }
      }
    }
    // The answer travels back over the network unless the call was in-process or never left.
    const edge = hop.edge;
    if (hop.message !== null) messaging!.hopEnded(hop);
    else if (edge === null || hop.arrivedAt < 0 || edge.zero) deliver(hop);
    else engine.post(edge.back(), deliver, hop);
    drainGrants();
  }

  function deliver(hop: Hop): void {
    if (hop.call !== null) return policies.attemptDone(hop);
    const parent = hop.parent;
    if (parent === null)
      return completeRequest(hop.request, hop.endpoint, hop.reason, hop.failedCause, hop.degraded);
    report(parent, hop.reason !== null && !hop.soft ? hop.failedCause : null, hop.degraded);
  }

  /** One call of `parent`'s current step answered; `cause` set when it failed hard. */
  function report(parent: Hop, cause: FailureCause | null, degraded: boolean): void {
    if (parent.ended) return; // the caller crashed meanwhile
    if (cause !== null && parent.failedCause === null) parent.failedCause = cause;
    if (degraded) parent.degraded = true;
    parent.pending--;
    if (parent.pending > 0 || parent.running) return;
    if (parent.failedCause !== null) return fail(parent, 'dependency_failed', parent.failedCause);
    run(parent);
  }

  function completeRequest(
    req: RequestRecord,
    entry: EndpointRuntime,
    reason: FailureReason | null,
    cause: FailureCause | null,
    degraded: boolean,
  ): void {
    completed++;
    const now = engine.now;
    const listeners = completedChannel.listeners;
    if (listeners.length > 0) {
      const payload: Signals['request.completed'] = {
        at: now,
        id: req.id,
        workload: req.workload,
        service: entry.service.name,
        endpoint: entry.name,
        arrivedAt: req.arrivedAt,
        latencyMs: now - req.arrivedAt,
        outcome: reason === null ? (degraded ? 'fallback' : 'ok') : 'failed',
        reason: reason ?? undefined,
        cause: cause ?? undefined,
      };
      for (let i = 0; i < listeners.length; i++) {
        const listener = listeners[i]!;
        try {
          listener(payload);
        } catch (error) {
          completedChannel.failed(error);
        }
      }
    }
    req.onDone?.(req);
  }

  let watchingOrphans = false;

  return {
    submit(workload, entry, edge, onDone, client = null) {
      const req: RequestRecord = { id: ++submitted, workload, arrivedAt: engine.now, onDone, spans: 0 };
      const listeners = arrivedChannel.listeners;
      if (listeners.length > 0) {
        const payload: Signals['request.arrived'] = {
          at: req.arrivedAt,
          id: req.id,
          workload,
          service: entry.service.name,
          endpoint: entry.name,
        };
        for (let i = 0; i < listeners.length; i++) {
          const listener = listeners[i]!;
          try {
            listener(payload);
          } catch (error) {
            arrivedChannel.failed(error);
          }
        }
      }
      if (client === null) send(new Hop(req, edge, entry, null, 1, false, false));
      else
        policies.start(
          new PolicyCall(
            client,
            client.state(null),
            null,
            req,
            entry,
            edge,
            false,
            false,
            workload,
            engine.now,
          ),
        );
      return req;
    },
    crash(instance) {
      // Parents arrived before their in-process children, so they fail first; a child's answer
      // to an ended parent is then ignored.
      for (const hop of instance.present()) {
        if (!hop.ended) fail(hop, 'instance_crashed', null);
      }
      instance.clearAfterCrash();
      drainGrants();
    },
    unhang(instance) {
      const held = instance.hungHops.splice(0);
      for (const hop of held) {
        if (hop.ended) continue;
        if (hop.endpoint.service.ps) instance.psAdd(hop, hop.pendingWorkMs);
        else engine.post(hop.pendingWorkMs, workDone, hop);
      }
    },
    watchOrphans() {
      watchingOrphans = true;
    },
    connectMessaging(m) {
      messaging = m;
    },
    send,
    process(hop, instance) {
      hop.instance = instance;
      instance.active++;
      arrive(hop);
    },
    answer(parent, reason, soft, broker) {
      const cause = reason === null || soft ? null : { reason, service: broker, endpoint: 'publish' };
      report(parent, cause, false);
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
