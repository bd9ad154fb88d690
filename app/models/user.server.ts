/** Users: one small function per query. */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, Role } from '../../db/schema.ts'
import { foldSearchKey } from '../../db/text.ts'
import type { UserStatus } from '../admin/user-input.ts'
import { likePattern } from './facility-list.server.ts'

type Db = Kysely<Database> | Transaction<Database>

/** What signing in reads: credentials, state and the second factor. */
export async function getUserByLogin(db: Db, login: string) {
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
      'totp_secret',
    ])
    .where('login', '=', login)
    .executeTakeFirst()
}

/** The same for a user id (links, second factor, account pages). */
export async function getUserCredentials(db: Db, id: number) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'login',
      'display_name',
      'role',
      'password_hash',
      'disabled',
      'email',
      'totp_secret',
      'totp_enrolled_at',
      'totp_last_step',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** One user with scope names, for the administrator's user page and edit form. */
export async function getUserDetails(db: Db, id: number) {
  return db
    .selectFrom('users')
    .leftJoin('facilities', 'facilities.id', 'users.facility_id')
    .leftJoin('provinces', 'provinces.code', 'users.province_code')
    .select([
      'users.id',
      'users.login',
      'users.display_name',
      'users.role',
      'users.facility_id',
      'users.province_code',
      'users.disabled',
      'users.email',
      'users.phone',
      'users.version',
      'users.created_at',
      'users.updated_at',
      'users.password_changed_at',
      'users.totp_enrolled_at',
      'facilities.code as facility_code',
      'facilities.name as facility_name',
      'provinces.name as province_name',
    ])
    .select((eb) => eb('users.password_hash', 'is not', null).as('has_password'))
    .where('users.id', '=', id)
    .executeTakeFirst()
}

export interface NewUserInput {
  login: string
  displayName: string
  role: Role
  facilityId: number | null
  provinceCode: string | null
  email: string | null
  phone: string | null
  /** Null: the user sets one through an invitation link. */
  passwordHash: string | null
  now: string
}

function searchKey(login: string, displayName: string, email: string | null): string {
  return foldSearchKey([login, displayName, email ?? ''].join(' '))
}

export async function insertUser(db: Db, input: NewUserInput): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      login: input.login,
      display_name: input.displayName,
      role: input.role,
      facility_id: input.facilityId,
      province_code: input.provinceCode,
      email: input.email,
      phone: input.phone,
      password_hash: input.passwordHash,
      password_changed_at: input.passwordHash ? input.now : null,
      search_key: searchKey(input.login, input.displayName, input.email),
      disabled: 0,
      created_at: input.now,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Which of these logins exist already. */
export async function findExistingLogins(db: Db, logins: string[]): Promise<string[]> {
  if (logins.length === 0) return []
  const found: string[] = []
  // SQLite limits bound parameters per statement; a bulk file has thousands.
  for (let i = 0; i < logins.length; i += 500) {
    const rows = await db
      .selectFrom('users')
      .select('login')
      .where('login', 'in', logins.slice(i, i + 500))
      .execute()
    found.push(...rows.map((r) => r.login))
  }
  return found
}

/** Condition: this row is the only enabled administrator. */
const isLastAdmin = sql<boolean>`(users.role = 'admin' AND users.disabled = 0 AND
  (SELECT count(*) FROM users AS a WHERE a.role = 'admin' AND a.disabled = 0) <= 1)`

export interface UserUpdateInput {
  displayName: string
  role: Role
  facilityId: number | null
  provinceCode: string | null
  email: string | null
  phone: string | null
  now: string
}

/**
 * Writes an edit when the row is still at `version`, and refuses (in the
 * same statement, so two administrators cannot race past it) to take the
 * last enabled administrator's role away. Returns whether a row changed.
 */
export async function updateUser(
  db: Db,
  id: number,
  version: number,
  input: UserUpdateInput,
): Promise<boolean> {
  const current = await db
    .selectFrom('users')
    .select('login')
    .where('id', '=', id)
    .executeTakeFirst()
  if (!current) return false
  let query = db
    .updateTable('users')
    .set({
      display_name: input.displayName,
      role: input.role,
      facility_id: input.facilityId,
      province_code: input.provinceCode,
      email: input.email,
      phone: input.phone,
      search_key: searchKey(current.login, input.displayName, input.email),
      version: sql`version + 1`,
      updated_at: input.now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
  if (input.role !== 'admin') query = query.where(sql<boolean>`NOT ${isLastAdmin}`)
  const result = await query.executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/**
 * Disables or enables a user; never disables the last enabled administrator
 * (checked in the same statement). Returns whether a row changed.
 */
export async function setUserDisabled(
  db: Db,
  id: number,
  disabled: boolean,
  now: string,
): Promise<boolean> {
  let query = db
    .updateTable('users')
    .set({ disabled: disabled ? 1 : 0, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('disabled', '=', disabled ? 0 : 1)
  if (disabled) query = query.where(sql<boolean>`NOT ${isLastAdmin}`)
  const result = await query.executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function setUserPassword(
  db: Db,
  id: number,
  passwordHash: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute()
}

/** Enrols (or re-enrols) a TOTP secret; `step` is the time step of the code that confirmed it. */
export async function setUserTotp(
  db: Db,
  id: number,
  secret: string,
  step: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: secret, totp_enrolled_at: now, totp_last_step: step, updated_at: now })
    .where('id', '=', id)
    .execute()
}

export async function clearUserTotp(db: Db, id: number, now: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: now })
    .where('id', '=', id)
    .execute()
}

/**
 * Accepts a TOTP time step once: only when it is later than the last one
 * accepted (RFC 6238 §5.2), in one statement so two requests with the same
 * code cannot both pass.
 */
export async function acceptTotpStep(db: Db, id: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where('totp_secret', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export interface UserListQuery {
  /** Already folded with foldSearchKey. */
  search?: string
  role?: Role
  province?: string
  facilityCode?: string
  status?: UserStatus
  page: number
  pageSize: number
}

function userListBase(db: Db, q: UserListQuery) {
  let query = db
    .selectFrom('users')
    .leftJoin('facilities', 'facilities.id', 'users.facility_id')
    .leftJoin('provinces', (join) =>
      join.on((eb) =>
        eb.or([
          eb('provinces.code', '=', eb.ref('users.province_code')),
          eb('provinces.code', '=', eb.ref('facilities.province_code')),
        ]),
      ),
    )
  if (q.search)
    query = query.where(sql<boolean>`users.search_key LIKE ${likePattern(q.search)} ESCAPE '\\'`)
  if (q.role) query = query.where('users.role', '=', q.role)
  if (q.province) query = query.where('provinces.code', '=', q.province)
  if (q.facilityCode) query = query.where('facilities.code', '=', q.facilityCode)
  if (q.status === 'disabled') query = query.where('users.disabled', '=', 1)
  else if (q.status === 'invited')
    query = query.where('users.disabled', '=', 0).where('users.password_hash', 'is', null)
  else if (q.status === 'active')
    query = query.where('users.disabled', '=', 0).where('users.password_hash', 'is not', null)
  return query
}

export async function countUsers(db: Db, q: UserListQuery): Promise<number> {
  const row = await userListBase(db, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The administrators' user list: filtered, searched (diacritic-insensitive) and paged in SQL. */
export async function listUsers(db: Db, q: UserListQuery) {
  return userListBase(db, q)
    .select([
      'users.id',
      'users.login',
      'users.display_name',
      'users.role',
      'users.disabled',
      'users.email',
      'users.totp_enrolled_at',
      'facilities.code as facility_code',
      'facilities.name as facility_name',
      'provinces.name as province_name',
    ])
    .select((eb) => eb('users.password_hash', 'is not', null).as('has_password'))
    .select((eb) =>
      eb
        .selectFrom('sessions')
        .select((s) => s.fn.max('sessions.last_seen_at').as('at'))
        .whereRef('sessions.user_id', '=', 'users.id')
        .as('last_seen_at'),
    )
    .orderBy('users.search_key')
    .orderBy('users.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()
}
