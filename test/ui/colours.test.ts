/**
 * The dashboard must read on light and dark terminals: no explicit black/white/grey foreground
 * and no background colours anywhere in src/ui (de-emphasis uses dimColor).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const UI = path.resolve(import.meta.dirname, '../../src/ui');
const BANNED = /backgroundColor|\b(?:black|white|gray|grey)(?:Bright)?\b|#[0-9a-f]{3,6}\b|\brgb\(/gi;

describe('colours in src/ui', () => {
  it('never names black, white or grey, nor sets a background', () => {
    const files = readdirSync(UI).filter((f) => /\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((f) =>
      readFileSync(path.join(UI, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          // Comments may explain the rule.
          /^\s*(?:\*|\/\/|\/\*)/.test(line)
            ? []
            : [...line.matchAll(BANNED)].map((m) => `${f}:${i + 1} ${m[0]}`),
        ),
    );
    expect(found).toEqual([]);
  });
});
