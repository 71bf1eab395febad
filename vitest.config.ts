import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Two cores: keep parallelism modest so multi-process tests are not starved.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
