import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 10_000,
          // Opening and migrating an in-memory PGlite takes 2–5 s alone, longer while other test
          // files (PDF workers, tesseract) load both cores: a setup hook gets a minute.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // One shared stack (scripts/stack.sh); each test uses its own database, queue prefix and
          // addresses, but files run one at a time to keep timing-sensitive mail tests calm on 2 cores.
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
