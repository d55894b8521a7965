import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { cellWidth, oneLine, padEnd, padStart, stripAnsi, truncate, wrapWords } from '../../src/ui/cells.ts';

describe('cells: measuring text in terminal cells', () => {
  it('counts the dashboard glyphs, accents, wide characters and combining marks like string-width', () => {
    const samples = [
      '●◌◐✖■‖⊘◑',
      '▁▂▃▄▅▆▇█░▮▯━─╵▕▏▌',
      '✓✗→⇢↵▶…·×—µ',
      'réplicas, ocupación, añadir',
      'cafe\u0301',
      '漢字のテスト',
      'ｆｕｌｌ',
      '🚀 fire 🔥',
    ];
    for (const s of samples) expect(cellWidth(s), s).toBe(stringWidth(s));
  });

  it('truncates to the width with an ellipsis, and pads to exactly the width', () => {
    expect(truncate('checkout', 8)).toBe('checkout');
    expect(truncate('checkout', 5)).toBe('chec…');
    expect(truncate('漢字漢字', 5)).toBe('漢字…');
    expect(cellWidth(padEnd('漢字漢字', 5))).toBe(5);
    expect(padStart('42', 5)).toBe('   42');
    expect(padEnd('ab', 4)).toBe('ab  ');
  });

  it('wraps at spaces, splits words longer than the width, keeps line breaks', () => {
    expect(wrapWords('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapWords('abcdefghijkl x', 5)).toEqual(['abcde', 'fghij', 'kl x']);
    expect(wrapWords('one\ntwo three', 20)).toEqual(['one', 'two three']);
    for (const line of wrapWords('réplicas ocupación 漢字漢字漢字 añadir', 7))
      expect(cellWidth(line)).toBeLessThanOrEqual(7);
  });

  it('strips colour codes and control characters from text meant for one line', () => {
    const esc = String.fromCharCode(27);
    expect(stripAnsi(`${esc}[31mred${esc}[39m`)).toBe('red');
    expect(oneLine(`a\tb\nc${esc}[1m!`)).toBe('a b c!');
  });
});
