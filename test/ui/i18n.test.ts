import { describe, expect, it } from 'vitest';
import { LABELS, labels, t } from '../../src/ui/i18n.ts';

describe('labels', () => {
  it('gives every label in both languages, none empty, the Spanish ones translated', () => {
    const en = LABELS.en as unknown as Record<string, unknown>;
    const es = LABELS.es as unknown as Record<string, unknown>;
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(en)) {
      if (typeof value === 'string') expect(value, key).not.toBe('');
      if (typeof value === 'object' && value !== null) {
        expect(Object.keys(es[key] as object).sort(), key).toEqual(Object.keys(value).sort());
      }
    }
    const translated = [
      'running',
      'paused',
      'seed',
      'speed',
      'replicas',
      'errors',
      'pressEnter',
      'quit',
    ] as const;
    for (const key of translated) expect(LABELS.es[key], key).not.toBe(LABELS.en[key]);
  });

  it('reads plain labels with t() and formats numbers in both languages', () => {
    expect(t('en', 'paused')).toBe('paused');
    expect(t('es', 'paused')).toBe('en pausa');
    expect(labels('es').pressEnter).toBe('pulsa intro para continuar');
    expect(labels('en').tooSmall(70, 20, 80, 24)).toContain('80×24');
    expect(labels('es').tooSmall(70, 20, 80, 24)).toContain('al menos 80×24');
    expect(labels('en').someFailed(1, 3)).toBe('1 of 3 expectations failed');
  });
});
