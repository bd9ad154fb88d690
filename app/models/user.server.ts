/** Users: one small function per query. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

export async function getUserByLogin(db: Kysely<Database>, login: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'login',
      'display_name',
      'role',
      'facility_id',
      'province_code',
      'password_hash',
      'disabled',
    ])
    .where('login', '=', login)
    .executeTakeFirst()
}

export async function getUserById(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('users')
    .select(['id', 'login', 'display_name', 'role', 'facility_id', 'province_code', 'disabled'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function setUserDisabled(
  db: Kysely<Database>,
  id: number,
  disabled: boolean,
  now: string,
) {
  await db
    .updateTable('users')
    .set({ disabled: disabled ? 1 : 0, updated_at: now })
    .where('id', '=', id)
    .execute()
}
