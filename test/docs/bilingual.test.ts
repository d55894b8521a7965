/**
 * The documentation exists in English and in Spanish with the same structure (docs/en and
 * docs/es): the same pages, each with the same sections, each linking its twin; and the lesson
 * READMEs come in both languages (test/lessons/shipped.test.ts checks their content).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = new URL('../../docs/', import.meta.url).pathname;
const pages = (lang: string): string[] =>
  readdirSync(join(DOCS, lang))
    .filter((f) => f.endsWith('.md'))
    .sort();
const read = (lang: string, page: string): string => readFileSync(join(DOCS, lang, page), 'utf8');
/** `##` headings outside code blocks. */
const sections = (text: string): number =>
  text
    .replace(/```[\s\S]*?```/g, '')
    .split('\n')
    .filter((l) => /^##\s/.test(l)).length;

describe('docs in both languages', () => {
  it('docs/en and docs/es hold the same pages', () => {
    expect(pages('en').length).toBeGreaterThan(5);
    expect(pages('es')).toEqual(pages('en'));
    expect(readdirSync(DOCS).filter((f) => f.endsWith('.md'))).toEqual([]);
  });

  it.each(pages('en'))('%s has the same sections in both languages, and each links the other', (page) => {
    expect(existsSync(join(DOCS, 'es', page)), `docs/es/${page}`).toBe(true);
    const en = read('en', page);
    const es = read('es', page);
    expect(sections(es), `## sections of docs/es/${page}`).toBe(sections(en));
    expect(en.split('\n').slice(0, 5).join('\n')).toContain(`(../es/${page})`);
    expect(es.split('\n').slice(0, 5).join('\n')).toContain(`(../en/${page})`);
  });
});
