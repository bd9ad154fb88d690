/**
 * The integration suite on PostgreSQL: one server for the run (TEST_DATABASE_URL,
 * or a throw-away cluster), the seeded template database on it, and every
 * test file's clone dropped at the end (with the cluster, or one by one on a
 * server TEST_DATABASE_URL names).
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startPostgres } from '../support/postgres-server.ts'
import { buildPostgresTemplate, dropPostgresTestDatabases, TMP_DIR } from '../support/test-db.ts'
import setupSqlite from './integration-global.ts'

export default async function setup(): Promise<() => Promise<void>> {
  // The SQLite template too: a few tests compare the two databases or run SQLite beside.
  const cleanSqlite = await setupSqlite()
  const server = await startPostgres({ durable: false })
  process.env.SANSANG_TEST_POSTGRES = server.url
  process.env.SANSANG_TEST_DIALECT = 'postgres'
  await buildPostgresTemplate(server.url)
  return async () => {
    if (process.env.TEST_DATABASE_URL) await dropPostgresTestDatabases(server.url)
    server.stop()
    cleanSqlite()
    for (const name of readdirSync(TMP_DIR)) {
      if (name.endsWith('.pg.evidence'))
        rmSync(join(TMP_DIR, name), { recursive: true, force: true })
    }
  }
}
