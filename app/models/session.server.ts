/** Server-side sessions, stored by the SHA-256 of their cookie token. */
import type { Kysely } from 'kysely'
import type { Database, SessionStage } from '../../db/schema.ts'

export interface NewSessionInput {
  idHash: string
  userId: number
  now: string
  expiresAt: string
  ip: string | null
  userAgent: string | null
  stage: SessionStage
}

export async function insertSession(db: Kysely<Database>, input: NewSessionInput): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: input.idHash,
      user_id: input.userId,
      created_at: input.now,
      last_seen_at: input.now,
      expires_at: input.expiresAt,
      revoked_at: null,
      ip: input.ip,
      user_agent: input.userAgent,
      stage: input.stage,
    })
    .execute()
}

/** The session and its user, whatever their state; the caller decides validity. */
export async function getSessionWithUser(db: Kysely<Database>, idHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.revoked_at',
      'sessions.stage',
      'users.id as user_id',
      'users.login',
      'users.display_name',
      'users.role',
      'users.facility_id',
      'users.province_code',
      'users.disabled',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst()
}

export async function touchSession(
  db: Kysely<Database>,
  idHash: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id_hash', '=', idHash)
    .execute()
}

export async function revokeSession(
  db: Kysely<Database>,
  idHash: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Ends every session of a user (disabling, a second factor reset); returns how many. */
export async function revokeUserSessions(
  db: Kysely<Database>,
  userId: number,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Ends every session of a user but one (a password change, "sign out everywhere else"). */
export async function revokeOtherSessions(
  db: Kysely<Database>,
  userId: number,
  keepIdHash: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('id_hash', '!=', keepIdHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * A user's sessions that may still be in use (not revoked, not past their
 * expiry), newest activity first. Idle ones past the idle limit are listed
 * too; they end at their next request.
 */
export async function listActiveSessions(db: Kysely<Database>, userId: number, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent', 'stage'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .limit(50)
    .execute()
}

/** Makes a session that was waiting for its second factor a full one (enrolment just done). */
export async function promoteSession(
  db: Kysely<Database>,
  idHash: string,
  expiresAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ stage: 'full', expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .where('stage', '!=', 'full')
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}
