/**
 * The app's database handle, opened once per process on first use (so tests
 * can point DATABASE_PATH or DATABASE_URL at their own database before the
 * first request).
 */
import type { Kysely } from 'kysely'
import { openConfigured } from '../../db/client.ts'
import type { Database } from '../../db/schema.ts'
import { getEnv } from './env.server.ts'

let handle: Kysely<Database> | undefined

export function getDb(): Kysely<Database> {
  handle ??= openConfigured(getEnv()).db
  return handle
}
