/**
 * Reading ink-testing-library frames: ANSI codes stripped, split into rows, measured in terminal
 * cells with `string-width` (the measure ink itself uses), independent of src/ui's own measure.
 */

import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { expect } from 'vitest';

/** The last frame of `element`, as plain rows. */
export function rows(element: ReactElement): string[] {
  const { lastFrame, unmount } = render(element);
  const frame = lastFrame() ?? '';
  unmount();
  return stripAnsi(frame).split('\n');
}

/** The last frame of `element`, as plain text. */
export function text(element: ReactElement): string {
  return rows(element).join('\n');
}

/** Display width of a row in terminal cells. */
export function cells(row: string): number {
  return stringWidth(row);
}

/** Fails unless the frame has at most `height` rows, none wider than `width` cells. */
export function expectFits(frameRows: readonly string[], width: number, height: number): void {
  expect(frameRows.length, `rows:\n${frameRows.join('\n')}`).toBeLessThanOrEqual(height);
  for (const row of frameRows)
    expect(cells(row), `row too wide: ${JSON.stringify(row)}`).toBeLessThanOrEqual(width);
}

/** The first row containing `needle` (fails when none does). */
export function rowWith(frameRows: readonly string[], needle: string): string {
  const row = frameRows.find((r) => r.includes(needle));
  expect(row, `no row contains ${JSON.stringify(needle)} in:\n${frameRows.join('\n')}`).toBeDefined();
  return row!;
}
