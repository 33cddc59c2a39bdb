import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Each test file gets its own temp folder and SQLite files; two cores on CI.
    pool: 'forks',
    globalSetup: ['tests/support/globalSetup.ts'],
    testTimeout: 60_000,
    // expect.poll waits on the browser tests' pages; 1 s (vitest's default) is short for a
    // save and a reload on a loaded two-core CI machine. Nothing here is a timing assertion.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
  },
});
