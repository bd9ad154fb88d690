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

/**
 * Tests of the SQLite file itself — its pragmas, `VACUUM INTO`, a read-only
 * or corrupt file, the audit chain's SQLite locking, write transactions of
 * two processes on one file (BEGIN IMMEDIATE), and the commands run on
 * a new file — have no PostgreSQL twin in the suite's form: on PostgreSQL the
 * same ground (guards, counters, the chain under concurrent appends,
 * `prepare` and `audit-verify` through db/cli.ts) is covered by
 * postgres-schema.test.ts, which only the PostgreSQL run holds (it compares
 * the two schemas, so it needs a server).
 */
const SQLITE_FILE_TESTS = [
  'tests/integration/database.test.ts',
  'tests/integration/storage.test.ts',
  'tests/integration/audit-chain.test.ts',
  'tests/integration/admin-cli.test.ts',
  'tests/integration/sqlite-write-lock.test.ts',
]

/** The integration suite, on SQLite or (integration-pg) on PostgreSQL. */
function integration(
  name: string,
  globalSetup: string,
  env: Record<string, string> = {},
  exclude: string[] = [],
) {
  return {
    test: {
      name,
      include: ['tests/integration/**/*.test.ts'],
      exclude,
      environment: 'node' as const,
      globalSetup: [globalSetup],
      env,
      setupFiles: ['tests/setup/fail-on-console-error.ts', 'tests/setup/integration-env.ts'],
      // Each test file gets its own database; keep workers few on 2 cores.
      pool: 'forks' as const,
      maxWorkers: 2,
      // beforeAll starts a server and signs in several accounts (argon2 each, a TOTP step for some).
      testTimeout: SERVER_LIMIT,
      hookTimeout: SERVER_LIMIT,
      expect: { poll: { timeout: POLL_LIMIT } },
    },
  }
}

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
      // PostgreSQL's own schema and roles: only the PostgreSQL run holds them.
      integration('integration', 'tests/setup/integration-global.ts', {}, [
        'tests/integration/postgres-schema.test.ts',
        'tests/integration/postgres-app-role.test.ts',
      ]),
      // The same suite on PostgreSQL (tests/run-postgres.ts runs it when a server can be had).
      integration(
        'integration-pg',
        'tests/setup/integration-pg-global.ts',
        { SANSANG_TEST_DIALECT: 'postgres' },
        SQLITE_FILE_TESTS,
      ),
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
