import { defineConfig } from 'vitest/config'

/**
 * Time limits are for a loaded machine: CI runs on 2 shared cores, and a
 * test that passes alone but times out under load is a broken test. A limit
 * is only there to end a test that hangs; speed is measured by the benchmark
 * scripts (`npm run bench`), never by a test's time limit.
 */
const UNIT_LIMIT = 60_000
const SERVER_LIMIT = 180_000
/** `expect.poll` waits this long by default (vitest's own default is 1 s). */
const POLL_LIMIT = 30_000

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
          testTimeout: UNIT_LIMIT,
          hookTimeout: UNIT_LIMIT,
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
          // beforeAll starts a server and signs in several accounts (argon2 each, a TOTP step for some).
          testTimeout: SERVER_LIMIT,
          hookTimeout: SERVER_LIMIT,
          expect: { poll: { timeout: POLL_LIMIT } },
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
          testTimeout: SERVER_LIMIT,
          hookTimeout: SERVER_LIMIT,
          expect: { poll: { timeout: POLL_LIMIT } },
        },
      },
    ],
  },
})
