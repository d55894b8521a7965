/** The replication pool: seeds, and inputs refused in worker threads with a clear error. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplicationInputError } from '../../src/runtime/replication-error.ts';
import { fileHash, runReplication } from '../../src/runtime/replication-task.ts';
import { replicate, replicationSeed, replicationSeeds } from '../../src/runtime/replications.ts';

const FILE = 'scenarios/mm1.yaml';

describe('replication seeds', () => {
  it('start with the base seed and are distinct, 32-bit, and the same for any N', () => {
    const seeds = replicationSeeds(42, 10_000);
    expect(seeds[0]).toBe(42);
    expect(new Set(seeds).size).toBe(10_000);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    expect(replicationSeeds(42, 3)).toEqual(seeds.slice(0, 3));
    expect(replicationSeed(43, 1)).not.toBe(replicationSeed(42, 1));
  });
});

describe('refused inputs', () => {
  it('a scenario file edited after the study began is refused, not mixed in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microsim-pool-'));
    const file = join(dir, 'mm1.yaml');
    writeFileSync(file, readFileSync(FILE, 'utf8'));
    const sha256 = fileHash(file);
    writeFileSync(file, readFileSync(FILE, 'utf8').replace('exp(100ms)', 'exp(10ms)'));
    const reply = await runReplication({
      file,
      sha256,
      overrides: { duration: '2m' },
      replication: 0,
      seed: 1,
      keepResults: false,
    });
    expect(reply.problem).toBe(
      `${file} changed while the study ran (its runs would mix two scenarios): run the study again`,
    );
  });

  it('a scenario that does not validate in a worker thread gives its located message', async () => {
    const run = replicate({
      file: FILE,
      overrides: { duration: '2m', services: { server: { workers: -1 } } },
      runs: [0, 1].map((k) => ({ replication: k, seed: replicationSeed(1, k) })),
      threads: 2,
    });
    await expect(run).rejects.toThrow(ReplicationInputError);
    await expect(run).rejects.toThrow(/scenarios\/mm1\.yaml.*services\.server\.workers/s);
  });
});
