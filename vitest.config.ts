import { defineConfig } from 'vitest/config'

// The Remix Vite plugin is deliberately absent: vitest runs modules directly.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/integration-global.ts'],
          setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/integration-env.ts'],
          // Each worker gets its own SQLite file; keep workers few on 2 cores.
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 30_000,
          // Setup starts a server and signs users in (argon2, a TOTP step for some): room on a loaded machine.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          setupFiles: ['tests/setup/fail-on-console-error.ts'],
          // One browser, one server: files run one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
