/**
 * Applying and rolling back migrations from the static registry: the
 * SQLite forms, or on PostgreSQL their twins of the same names.
 */
import { Migrator, type Kysely, type MigrationResultSet } from 'kysely'
import { dialectOf } from './client.ts'
import { migrations } from './migrations/index.ts'
import { postgresMigrations } from './migrations/postgres/index.ts'
import type { Database } from './schema.ts'

function migrator(db: Kysely<Database>): Migrator {
  const set = dialectOf(db) === 'postgres' ? postgresMigrations : migrations
  return new Migrator({ db, provider: { getMigrations: async () => set } })
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error })
  }
  return (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}`)
}

/** Brings the database to the latest schema; returns what was applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return check(await migrator(db).migrateToLatest())
}

/** Rolls back the most recent migration. */
export async function migrateDown(db: Kysely<Database>): Promise<string[]> {
  return check(await migrator(db).migrateDown())
}
