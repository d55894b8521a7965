/** docs/en/dashboard.md and its Spanish twin stay true to the key map and the CLI's options. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/help.ts';
import { KEYS, keyLabel } from '../../src/ui/keys.ts';

const docs = {
  en: readFileSync(new URL('../../docs/en/dashboard.md', import.meta.url), 'utf8'),
  es: readFileSync(new URL('../../docs/es/dashboard.md', import.meta.url), 'utf8'),
} as const;

describe('the dashboard docs', () => {
  it.each(['en', 'es'] as const)('%s: every key of the key map is in the keys table', (lang) => {
    const table = docs[lang].slice(docs[lang].indexOf(lang === 'en' ? '## Keys' : '## Teclas'));
    for (const binding of KEYS) {
      for (const key of binding.keys)
        expect(table, `${binding.action}: ${key}`).toContain(`\`${keyLabel(key, lang)}\``);
    }
  });

  it.each(['en', 'es'] as const)('%s: documents the run options of the dashboard', (lang) => {
    for (const option of ['--speed', '--lang', '--no-ui']) {
      expect(docs[lang]).toContain(option);
      expect(HELP.run).toContain(option);
    }
  });

  it('the two languages link to each other and show a captured screen', () => {
    expect(docs.en).toContain('(../es/dashboard.md)');
    expect(docs.es).toContain('(../en/dashboard.md)');
    expect(docs.en).toMatch(/microsim cascade-contained\s+‖ paused/);
    expect(docs.es).toMatch(/microsim cascade-contained\s+‖ en pausa/);
  });
});
