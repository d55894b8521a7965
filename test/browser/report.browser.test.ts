/**
 * The HTML report in a real browser: `microsim run … --report` on a scenario with a fault and
 * circuit breakers, opened from a file:// URL in headless Chromium (Debian's `chromium` package,
 * driven by playwright-core). It must load with no console error, no page error and no request
 * leaving the file, and show its charts (each with marks) and the expectations table.
 * Run with `npm run test:browser` (not part of `npm test`: a user's machine may have no Chromium).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCENARIO = 'scenarios/06-fault-tolerance/cascade-contained.yaml';

describe('the HTML report in headless Chromium', () => {
  let dir: string;
  let browser: Browser | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'microsim-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline without errors and shows the charts and the expectations', async () => {
    // Checked in the test, not in a hook, so that a missing browser counts as a failed test.
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}; the browser test needs it. ` +
          'Install Debian\'s package: "sudo apt-get install chromium" (then run npm run test:browser again).',
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const file = join(dir, 'report.html');
    const run = await cli(['run', SCENARIO, '--no-ui', '--quiet', '--report', file]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);

    const { page, problems, response } = await open(file);
    expect(response?.ok() ?? true).toBe(true);

    expect(await page.title()).toBe('microsim report: cascade-contained');
    // The topology and the panels over time, each drawn with marks and laid out with a size.
    const charts = page.locator('figure svg');
    expect(await charts.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const chart = charts.nth(i);
      expect(await chart.locator('.role-mark').count()).toBeGreaterThan(3);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(150);
    }
    const timeline = page.locator('#over-time svg');
    // Fault window and warm-up shaded, breaker bands drawn (rects), lines of the series.
    expect(await timeline.locator('.mark-rect path').count()).toBeGreaterThan(10);
    expect(await timeline.locator('.mark-line path').count()).toBeGreaterThanOrEqual(4);
    expect(await timeline.getByText('payments-hang', { exact: true }).count()).toBe(1);
    expect(await timeline.getByText('web#1→checkout', { exact: true }).count()).toBe(1);

    const rows = page.locator('#expectations table tbody tr');
    expect(await rows.count()).toBe(5);
    expect(await page.locator('#expectations td.pass').count()).toBe(5);
    await expect(rows.first().locator('td').first().textContent()).resolves.toBe(
      'browsing stays available during the fault',
    );

    expect(problems).toEqual([]);
    await page.close();
  });

  /** Opens `file` in the browser launched above; returns the page and the problems it logged. */
  async function open(file: string) {
    if (browser === undefined) throw new Error('the first test launches the browser');
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
    page.on('request', (r) => {
      if (r.url() !== url) problems.push(`request leaving the file: ${r.url()}`);
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    return { page, problems, response };
  }

  it('shows the intervals of replications, with theory, without errors', async () => {
    const file = join(dir, 'study.html');
    const run = await cli([
      'run',
      'scenarios/mm1.yaml',
      '--duration',
      '3m',
      '--runs',
      '3',
      '--threads',
      '1',
      '--quiet',
      '--report',
      file,
    ]);
    expect(run.code, run.err).toBe(0);
    const { page, problems } = await open(file);
    const chart = page.locator('#replications svg');
    expect(await chart.count()).toBe(1);
    // One error bar and one mean dot per measure; theory diamonds where M/M/1 predicts a value.
    expect(await chart.locator('.mark-rule path, .mark-rule line').count()).toBeGreaterThanOrEqual(9);
    expect(await page.locator('#replications table tbody tr').count()).toBeGreaterThanOrEqual(9);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a sweep as one chart per metric, without errors', async () => {
    const file = join(dir, 'sweep.html');
    const run = await cli([
      'sweep',
      'scenarios/mm1.yaml',
      '--set',
      'workloads.arrivals.rate=5/s..8/s:4',
      '--set',
      'services.server.workers=1,2',
      '--duration',
      '3m',
      '--runs',
      '2',
      '--threads',
      '1',
      '--quiet',
      '--report',
      file,
    ]);
    expect(run.code, run.err).toBe(0);
    const { page, problems } = await open(file);
    expect(await page.title()).toBe('microsim sweep: mm1');
    const charts = page.locator('#charts figure svg');
    expect(await charts.count()).toBe(2);
    // Two series (workers=1, workers=2), each a line through its four points.
    expect(await charts.first().locator('.mark-line.role-mark path').count()).toBe(2);
    expect(await charts.first().locator('.mark-symbol.role-mark path').count()).toBe(8);
    expect(await page.locator('#table tbody tr').count()).toBe(8);
    expect(problems).toEqual([]);
    await page.close();
  });
});
