/**
 * The few SQL forms SQLite and PostgreSQL spell differently, each behind one
 * function that asks the handle which database it talks to. Everything else
 * the models write is SQL both accept.
 */
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely'
import { dialectOf } from '../../db/client.ts'
import type { Database } from '../../db/schema.ts'

/** The values joined by `separator` (SQLite's group_concat, PostgreSQL's string_agg); order as the rows come. */
export function joinedText(
  db: Kysely<Database>,
  value: Expression<string> | RawBuilder<string>,
  separator: string,
): RawBuilder<string | null> {
  return dialectOf(db) === 'postgres'
    ? sql<string | null>`string_agg(${value}, ${separator})`
    : sql<string | null>`group_concat(${value}, ${separator})`
}

/**
 * A JSON array (as text) of the values the stored object `column` holds under
 * `keys`, in key order, null where a key is absent. With two paths or more
 * SQLite's json_extract returns exactly that; a trailing key no answer has
 * keeps it an array even for one question. Keys are model ids.
 */
export function jsonValuesAt(
  db: Kysely<Database>,
  column: Expression<string>,
  keys: readonly string[],
): RawBuilder<string> {
  const all = [...keys, '__none__']
  if (dialectOf(db) === 'postgres') {
    const values = all.map((key) => sql`(${column})::json -> ${key}::text`)
    return sql<string>`json_build_array(${sql.join(values)})::text`
  }
  const paths = all.map((key) => `$.${key}`)
  return sql<string>`json_extract(${column}, ${sql.join(paths)})`
}

/**
 * Makes this transaction the only writer of `table` until it ends, as every
 * SQLite write transaction already is (one writer at a time, taken at BEGIN). PostgreSQL lets
 * writers run side by side; a transaction that reads rows, decides and
 * writes over them (a registry import's preview) must not interleave with
 * another. Reads go on meanwhile.
 */
export async function lockTableForWriting(
  trx: Kysely<Database>,
  table: keyof Database & string,
): Promise<void> {
  if (dialectOf(trx) === 'postgres')
    await sql`LOCK TABLE ${sql.table(table)} IN SHARE ROW EXCLUSIVE MODE`.execute(trx)
}

/**
 * Makes this transaction the only one deciding about `key` until it ends.
 * SQLite has one writer at a time and the app's driver begins every write
 * transaction IMMEDIATE (db/client.ts), so it holds the lock from its first
 * statement, reads included; PostgreSQL takes a transaction-scoped advisory lock on the key's hash, so
 * two processes counting the same window wait for each other instead of both
 * seeing room for one more.
 */
export async function lockKeyForWriting(trx: Kysely<Database>, key: string): Promise<void> {
  if (dialectOf(trx) === 'postgres')
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx)
}
