/**
 * `npm run test:integration:pg`: the integration suite on PostgreSQL, when a
 * server can be had — TEST_DATABASE_URL names one, or Debian's postgresql
 * package is installed and a throw-away cluster is started (see
 * tests/support/postgres-server.ts). Without either it says why and
 * succeeds, so `npm test` stays runnable on a machine with SQLite only;
 * `.ci/run` installs the package, so CI always runs both.
 */
import { spawnSync } from 'node:child_process'
import { postgresUnavailable } from './support/postgres-server.ts'

const unavailable = postgresUnavailable()
if (unavailable !== undefined) {
  console.info(`integration suite on PostgreSQL skipped: ${unavailable}`)
  process.exit(0)
}
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--project', 'integration-pg', ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
process.exit(vitest.status ?? 1)
