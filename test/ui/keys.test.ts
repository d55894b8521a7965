import { describe, expect, it } from 'vitest';
import { actionFor, KEYS, type KeyAction, keyLabel } from '../../src/ui/keys.ts';

const ACTIONS: readonly KeyAction[] = [
  'pause',
  'faster',
  'slower',
  'max',
  'step',
  'next',
  'prev',
  'kill',
  'restore',
  'latency',
  'errors',
  'scaleUp',
  'scaleDown',
  'save',
  'help',
  'quit',
  'continue',
];

describe('key map', () => {
  it('binds every action exactly once, no key twice, with both descriptions', () => {
    expect(KEYS.map((b) => b.action).sort()).toEqual([...ACTIONS].sort());
    const keys = KEYS.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const b of KEYS) {
      expect(b.keys.length).toBeGreaterThan(0);
      expect(b.en.trim()).not.toBe('');
      expect(b.es.trim()).not.toBe('');
      expect(b.es).not.toBe(b.en);
    }
  });

  it('uses the keys the brief names', () => {
    const keysOf = (a: KeyAction) => KEYS.find((b) => b.action === a)?.keys;
    expect(keysOf('pause')).toEqual(['space']);
    expect(keysOf('faster')).toEqual(['+', '=']);
    expect(keysOf('next')).toEqual(['tab', 'right']);
    expect(keysOf('prev')).toEqual(['shift-tab', 'left']);
    expect(keysOf('kill')).toEqual(['k']);
    expect(keysOf('continue')).toEqual(['enter']);
  });

  it("maps ink's useInput arguments to actions", () => {
    expect(actionFor(' ', {})).toBe('pause');
    expect(actionFor('=', {})).toBe('faster');
    expect(actionFor('-', {})).toBe('slower');
    expect(actionFor('', { tab: true })).toBe('next');
    expect(actionFor('', { tab: true, shift: true })).toBe('prev');
    expect(actionFor('', { rightArrow: true })).toBe('next');
    expect(actionFor('', { leftArrow: true })).toBe('prev');
    expect(actionFor('\r', { return: true })).toBe('continue');
    expect(actionFor('?', {})).toBe('help');
    expect(actionFor('x', {})).toBeNull();
    expect(actionFor('', {})).toBeNull();
  });

  it('names keys for the help in each language', () => {
    expect(keyLabel('space', 'en')).toBe('space');
    expect(keyLabel('space', 'es')).toBe('espacio');
    expect(keyLabel('enter', 'es')).toBe('intro');
    expect(keyLabel('right', 'en')).toBe('→');
    expect(keyLabel('k', 'es')).toBe('k');
  });
});
