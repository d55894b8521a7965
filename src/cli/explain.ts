/**
 * `microsim explain <scenario> [--lang en|es]`: a scenario's story and topology in plain
 * language — what the load is, what each service does and calls, the brokers, the faults, the
 * rollouts, what the scenario expects and which closed-form queueing model it matches (or why
 * none does) — for a student reading a file for the first time.
 */
import { type Distribution, distributionMean } from '../engine/distributions.ts';
import type { FaultSpec } from '../model/fault-spec.ts';
import type { CallSpec, CallStep, ServiceSpec, WorkloadSpec } from '../model/world-spec.ts';
import { matchTheoryModel } from '../runtime/theory-model.ts';
import { loadScenario, type ResolvedScenario } from '../scenario/index.ts';
import { wrapWords } from '../ui/cells.ts';
import { EXIT_OK, type Output, parseFlags, parseLang } from './commands.ts';
import { formatTheoryParameters } from './format-summary.ts';
import { singleScenarioArg } from './run.ts';

type Lang = 'en' | 'es';

export async function explainCommand(args: readonly string[], io: Output): Promise<number> {
  const { values, positionals } = parseFlags('explain', args, { lang: { type: 'string' } });
  const lang = parseLang(values.lang, io, 'explain');
  const file = singleScenarioArg('explain', positionals);
  io.out(explainScenario(await loadScenario(file), lang));
  return EXIT_OK;
}

/** A duration for people: `850 ms`, `12.5 s`, `3 min`, `2 h`. */
function span(ms: number, lang: Lang): string {
  const num = (n: number) => (lang === 'es' ? String(n).replace('.', ',') : String(n));
  const round = (n: number) => Math.round(n * 10) / 10;
  if (ms === 0) return '0 s';
  if (ms < 1) return `${num(round(ms * 1000))} µs`;
  if (ms < 1000) return `${num(round(ms))} ms`;
  if (ms < 120_000) return `${num(round(ms / 1000))} s`;
  if (ms < 7_200_000) return `${num(round(ms / 60_000))} min`;
  return `${num(round(ms / 3_600_000))} h`;
}

const pct = (p: number): string => `${Math.round(p * 1000) / 10}%`;

function work(d: Distribution, lang: Lang): string {
  const mean = span(distributionMean(d), lang);
  if (d.kind === 'constant') return lang === 'es' ? `trabaja ${mean}` : `works ${mean}`;
  return lang === 'es' ? `trabaja ${mean} de media` : `works ${mean} on average`;
}

function callText(c: CallSpec, lang: Lang): string {
  const target = `${c.service}.${c.endpoint}`;
  const parts = [target];
  if (c.probability < 1)
    parts.push(
      lang === 'es' ? `(en el ${pct(c.probability)} de las veces)` : `(${pct(c.probability)} of the time)`,
    );
  if (c.soft) parts.push(lang === 'es' ? '(si falla, sigue)' : '(a failure is ignored)');
  return parts.join(' ');
}

function stepText(step: CallStep, lang: Lang): string {
  switch (step.kind) {
    case 'call':
      return (lang === 'es' ? 'llama a ' : 'calls ') + callText(step.call, lang);
    case 'parallel':
      return (
        (lang === 'es' ? 'llama a la vez a ' : 'calls at once ') +
        step.calls.map((c) => callText(c, lang)).join(', ')
      );
    case 'choice':
      return (
        (lang === 'es' ? 'llama a uno de ' : 'calls one of ') +
        step.branches.map((b) => `${b.call.service}.${b.call.endpoint} (${pct(b.weight)})`).join(', ')
      );
    case 'publish': {
      const p = step.publish;
      const how = p.confirm
        ? lang === 'es'
          ? 'y espera su confirmación'
          : 'and waits for its confirm'
        : lang === 'es'
          ? 'sin esperar'
          : 'without waiting';
      return `${lang === 'es' ? 'publica un mensaje en' : 'publishes a message to'} ${p.broker}.${p.destination} ${how}`;
    }
  }
}

function serviceText(s: ServiceSpec, lang: Lang): string[] {
  const es = lang === 'es';
  const holding =
    s.holding === 'thread-per-request'
      ? es
        ? 'un hilo por petición'
        : 'thread per request'
      : es
        ? 'no bloqueante'
        : 'non-blocking';
  const queue = Number.isFinite(s.queueCapacity)
    ? es
      ? `cola de ${s.queueCapacity}`
      : `a queue of ${s.queueCapacity}`
    : es
      ? 'cola sin límite'
      : 'an unbounded queue';
  const sharing =
    s.discipline === 'ps'
      ? es
        ? ', reparto del procesador (todas comparten la CPU)'
        : ', processor sharing (all share the CPU)'
      : '';
  const head = `  ${s.name}: ${s.replicas} ${es ? 'instancia(s)' : 'instance(s)'} × ${s.workers} ${es ? 'trabajador(es)' : 'worker(s)'}, ${holding}, ${queue}${sharing}`;
  const lines = [head];
  for (const ep of s.endpoints) {
    const steps = ep.calls.map((c) => stepText(c, lang));
    const w = work(ep.work, lang);
    const seq = ep.order === 'work-first' ? [w, ...steps] : [...steps, w];
    const consumer = (s.subscriptions ?? []).find((sub) => sub.endpoint === ep.name);
    const from =
      consumer === undefined
        ? ''
        : es
          ? ` (consume ${consumer.broker}.${consumer.queue})`
          : ` (consumes ${consumer.broker}.${consumer.queue})`;
    lines.push(`    ${ep.name}${from}: ${seq.join(es ? ', luego ' : ', then ')}`);
  }
  if (s.autoscale) {
    lines.push(`    ${es ? 'autoescalado por' : 'autoscaled on'} ${s.autoscale.metric}`);
  }
  return lines;
}

function workloadText(w: WorkloadSpec, lang: Lang): string {
  const es = lang === 'es';
  const entries = w.entries.map((e) => `${e.service}.${e.endpoint}`).join(', ');
  if (w.kind === 'closed') {
    return `  ${w.name}: ${w.users} ${es ? 'usuarios que piensan' : 'users who think'} ${span(distributionMean(w.think), lang)} ${es ? 'entre peticiones a' : 'between requests to'} ${entries}`;
  }
  const changes = w.profile.map((c) => `${span(c.atMs, lang)} → ${c.ratePerSec}/s`).join(', ');
  return `  ${w.name}: ${w.ratePerSec} ${es ? 'peticiones/s a' : 'requests/s to'} ${entries}${changes === '' ? '' : ` (${es ? 'después' : 'later'}: ${changes})`}`;
}

function faultText(f: FaultSpec, lang: Lang): string {
  const es = lang === 'es';
  const t = f.target;
  const where =
    t.kind === 'service'
      ? t.endpoint === null
        ? t.service
        : `${t.service}.${t.endpoint}`
      : t.kind === 'edge'
        ? `${t.from}→${t.to}`
        : `[${t.a.join(', ')}] ⟷ [${t.b.join(', ')}]`;
  const when = `${es ? 'a los' : 'at'} ${span(f.atMs, lang)}${f.forMs === null ? '' : `${es ? ' durante' : ' for'} ${span(f.forMs, lang)}`}`;
  const params = faultParams(f.action, lang);
  return `  ${when}: ${f.action.kind} ${where}${params === '' ? '' : ` ${params}`} (${f.name})`;
}

/** What a fault does beyond its kind: its factor, rate, added latency, replicas or leak. */
function faultParams(a: FaultSpec['action'], lang: Lang): string {
  const es = lang === 'es';
  const pct = (r: number): string => `${Number((r * 100).toPrecision(3))}%`;
  switch (a.kind) {
    case 'slow':
      return `×${a.factor}`;
    case 'error':
    case 'loss':
      return pct(a.rate);
    case 'latency':
      return `+${a.addMs} ms${a.jitterMs > 0 ? ` ±${a.jitterMs} ms` : ''}`;
    case 'scale':
      return `→ ${a.replicas} ${es ? 'réplicas' : 'replicas'}`;
    case 'leak':
      return `${a.perMb} MB ${es ? 'por solicitud' : 'per request'}${a.limitMb === null ? '' : `, ${es ? 'límite' : 'limit'} ${a.limitMb} MB`}`;
    default:
      return '';
  }
}

/** Which closed-form model the scenario matches, and what is left out; or why none does. */
function theoryText(s: ResolvedScenario, lang: Lang): string[] {
  const es = lang === 'es';
  const match = matchTheoryModel(s);
  const indent = (line: string) => `  ${line}`;
  if (match.model === null) {
    const head = es ? 'ningún modelo de colas con fórmula cerrada: ' : 'no closed-form queueing model: ';
    return wrapWords(head + match.reason[lang], 96).map(indent);
  }
  const run = es
    ? '`microsim run` muestra sus valores junto a los simulados'
    : '`microsim run` shows its values beside the simulated ones';
  const head = `${es ? 'corresponde a' : 'matches'} ${match.model} (${formatTheoryParameters(match.parameters)}): ${run}`;
  return [
    ...wrapWords(head, 96).map(indent),
    ...match.notes.flatMap((n) => wrapWords(n[lang], 94).map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`))),
  ];
}

/** The whole explanation, ending with a newline. */
export function explainScenario(s: ResolvedScenario, lang: Lang): string {
  const es = lang === 'es';
  const out: string[] = [];
  out.push(
    `${s.name} — ${es ? 'semilla' : 'seed'} ${s.seed}, ${span(s.durationMs, lang)} ${es ? 'simulados' : 'simulated'}${s.warmupMs > 0 ? `, ${es ? 'calentamiento' : 'warm-up'} ${span(s.warmupMs, lang)}` : ''}`,
    '',
    ...wrapWords(s.description[lang], 98),
    '',
    es ? 'Carga' : 'Load',
    ...s.world.workloads.map((w) => workloadText(w, lang)),
    '',
    es ? 'Servicios' : 'Services',
    ...s.world.services.flatMap((svc) => serviceText(svc, lang)),
  );
  const brokers = s.world.brokers ?? [];
  if (brokers.length > 0) {
    out.push('', es ? 'Brokers' : 'Brokers');
    for (const b of brokers) {
      const queues = [
        ...b.queues.map((q) => q.name),
        ...b.topics.flatMap((t) => t.groups.map((g) => g.name)),
      ];
      out.push(
        `  ${b.name}: ${b.replicas} ${es ? 'instancia(s); colas' : 'instance(s); queues'} ${queues.join(', ')}`,
      );
    }
  }
  if ((s.world.chaos ?? []).length > 0) {
    out.push('', es ? 'Fallos' : 'Faults', ...s.world.chaos!.map((f) => faultText(f, lang)));
  }
  if ((s.world.deploys ?? []).length > 0) {
    out.push('', es ? 'Despliegues' : 'Rollouts');
    for (const d of s.world.deploys!)
      out.push(`  ${es ? 'a los' : 'at'} ${span(d.atMs, lang)}: ${d.service} → ${d.to} (${d.strategy.kind})`);
  }
  if ((s.expectations ?? []).length > 0) {
    out.push('', es ? 'Lo que se espera' : 'What it expects');
    for (const e of s.expectations!) out.push(`  - ${e.names?.[lang] ?? e.name}`);
  }
  out.push('', es ? 'Teoría' : 'Theory', ...theoryText(s, lang));
  if ((s.narration ?? []).length > 0) {
    out.push(
      '',
      `${es ? 'Narración' : 'Narration'}: ${s.narration!.length} ${es ? 'entrada(s) (en el panel en vivo)' : 'entries (shown in the live dashboard)'}`,
    );
  }
  return `${out.join('\n')}\n`;
}
