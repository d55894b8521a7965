import { configDefaults, defineConfig } from 'vitest/config';

// `.ci/run` sets MICROSIM_VITEST_JSON so that it can print its own closing line with the counts.
const jsonReport = process.env.MICROSIM_VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 120_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
