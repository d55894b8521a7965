import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../src/scenario/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'microsim-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function loadFailure(path: string): Promise<ScenarioError> {
  try {
    await loadScenario(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('loadScenario', () => {
  it('loads YAML as data and records the path as the source', async () => {
    const scenario = await loadScenario(fixture('shop.yaml'));
    expect(scenario.name).toBe('shop');
    expect(scenario.source).toBe(fixture('shop.yaml'));
  });

  it('loads JSON', async () => {
    const scenario = await loadScenario(fixture('tiny.json'));
    expect(scenario.name).toBe('tiny-json');
    expect(scenario.world.workloads[0]).toMatchObject({ kind: 'open', ratePerSec: 5 });
  });

  it('loads a TypeScript scenario written with defineScenario (running its code)', async () => {
    const scenario = await loadScenario(fixture('tiny.scenario.ts'));
    expect(scenario.name).toBe('tiny');
    expect(scenario.source).toBe(fixture('tiny.scenario.ts'));
    const [api] = scenario.world.services;
    expect(api!.replicas).toBe(3);
    expect(api!.endpoints[0]!.work).toEqual({ kind: 'exponential', mean: 10 });
    expect(api!.endpoints[0]!.calls).toEqual([
      { kind: 'call', call: { service: 'api', endpoint: 'inner', probability: 1, soft: false } },
      { kind: 'parallel', calls: [{ service: 'api', endpoint: 'inner', probability: 1, soft: false }] },
    ]);
    expect(scenario.world.workloads[0]).toMatchObject({ kind: 'closed', users: 5 });
  });

  it('accepts a module exporting `scenario` instead of a default export', async () => {
    const path = join(scratch, 'named.mjs');
    const raw = {
      name: 'named',
      description: { en: 'x', es: 'x' },
      duration: '1s',
      services: { api: { endpoints: { get: { work: '1ms' } } } },
      workloads: { w: { rate: '1/s', entry: 'api.get' } },
    };
    writeFileSync(path, `export const scenario = ${JSON.stringify(raw)};\n`);
    expect((await loadScenario(path)).name).toBe('named');
  });

  it('reports problems of a module with the file and the field path', async () => {
    const path = join(scratch, 'bad.mjs');
    writeFileSync(path, 'export default { name: "bad", description: { en: "x", es: "x" }, duration: 5 };\n');
    const error = await loadFailure(path);
    expect(error.issues.map((i) => i.path)).toEqual(['duration', 'services', 'workloads']);
    expect(error.issues[0]).toMatchObject({ file: path, path: 'duration' });
    expect(error.issues[0]!.line).toBeUndefined();
  });

  it('a module without a scenario, or that throws, is a ScenarioError', async () => {
    const empty = join(scratch, 'empty.mjs');
    writeFileSync(empty, 'export const other = 1;\n');
    expect((await loadFailure(empty)).message).toContain('exports no scenario');
    const throwing = join(scratch, 'throws.mjs');
    writeFileSync(throwing, 'throw new Error("boom");\n');
    expect((await loadFailure(throwing)).message).toContain('failed to load: boom');
  });

  it('a missing file, a directory, an unknown extension and a too large file are ScenarioErrors', async () => {
    expect((await loadFailure(join(scratch, 'nope.yaml'))).message).toBe(
      `${join(scratch, 'nope.yaml')}: cannot read the scenario: no such file`,
    );
    expect((await loadFailure(join(scratch, 'nope.ts'))).message).toContain('no such file');
    const dir = join(scratch, 'dir.yaml');
    mkdirSync(dir);
    expect((await loadFailure(dir)).message).toContain('it is a directory');
    expect((await loadFailure(join(scratch, 'scenario.toml'))).message).toContain(
      'unknown scenario file type ".toml"',
    );
    const big = join(scratch, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    expect((await loadFailure(big)).message).toContain('the file is too large');
  });
});
