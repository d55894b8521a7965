import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the tests that open microsim's output in Debian's Chromium
// (/usr/bin/chromium). Kept out of `npm test`, since a user's machine may not have it;
// `.ci/run` installs it and runs both. MICROSIM_VITEST_JSON works as in vitest.config.ts.
const jsonReport = process.env.MICROSIM_VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
