/** People to contact, for the help page: active accounts by role (and province). */
import type { Kysely } from 'kysely'
import type { Database, Role } from '../../db/schema.ts'

/** Active accounts of a role, optionally of one province, by name. */
export async function listActiveUsersByRole(
  db: Kysely<Database>,
  role: Role,
  provinceCode: string | null = null,
) {
  let query = db
    .selectFrom('users')
    .select(['users.display_name', 'users.login'])
    .where('users.role', '=', role)
    .where('users.disabled', '=', 0)
  if (provinceCode !== null) query = query.where('users.province_code', '=', provinceCode)
  return query.orderBy('users.display_name').execute()
}
