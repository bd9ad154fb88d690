/** Reading the audit log (append-only; nothing here writes). */
import { sql, type Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { dialectOf } from '../../db/client.ts'

/** The one detail the page's sentences read: the login a sign-in was tried with. */
const AuditDetailLoginSchema = z.object({ login: z.string().max(200) })

export interface AuditQuery {
  /** Inclusive lower bound, ISO-8601 UTC. */
  fromAt?: string
  /** Exclusive upper bound, ISO-8601 UTC. */
  toAt?: string
  actorId?: number
  action?: string
  facilityId?: number
  /** Rows about one entity (e.g. entityType 'user', entityId '12'). */
  entityType?: string
  entityId?: string
  /** Keyset paging: only rows older than this id. */
  beforeId?: number
  limit: number
}

/** Newest first; keyset paging on the primary key stays fast however long the log grows. */
export async function listAuditEntries(db: Kysely<Database>, q: AuditQuery) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .leftJoin('facilities', 'facilities.id', 'audit_log.facility_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.action',
      'audit_log.entity_type',
      'audit_log.entity_id',
      'audit_log.facility_id',
      'audit_log.detail_json',
      'audit_log.ip',
      'audit_log.request_id',
      'users.login as actor_login',
      'users.display_name as actor_name',
      'facilities.code as facility_code',
      'facilities.name as facility_name',
    ])
  if (q.fromAt) query = query.where('audit_log.at', '>=', q.fromAt)
  if (q.toAt) query = query.where('audit_log.at', '<', q.toAt)
  if (q.actorId !== undefined) query = query.where('audit_log.actor_id', '=', q.actorId)
  if (q.action) query = query.where('audit_log.action', '=', q.action)
  if (q.facilityId !== undefined) query = query.where('audit_log.facility_id', '=', q.facilityId)
  if (q.entityType !== undefined) query = query.where('audit_log.entity_type', '=', q.entityType)
  if (q.entityId !== undefined) query = query.where('audit_log.entity_id', '=', q.entityId)
  if (q.beforeId !== undefined) query = query.where('audit_log.id', '<', q.beforeId)
  const rows = await query.orderBy('audit_log.id', 'desc').limit(q.limit).execute()
  return rows.map((r) => ({ ...r, detail_login: detailLogin(r.detail_json) }))
}

function detailLogin(json: string | null): string | null {
  if (json === null) return null
  try {
    const parsed = AuditDetailLoginSchema.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data.login : null
  } catch {
    return null
  }
}

/** The actions that occur in the log, for the filter. */
export async function listAuditActions(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('audit_log')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute()
  return rows.map((r) => r.action)
}

export async function findUserIdByLogin(db: Kysely<Database>, login: string) {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', login)
    .executeTakeFirst()
  return row?.id
}

export async function findFacilityIdByCode(db: Kysely<Database>, code: string) {
  const row = await db
    .selectFrom('facilities')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst()
  return row?.id
}

/** Rows with everything their hash covers, in chain (id) order, after `afterId`. */
export async function listAuditChainRows(db: Kysely<Database>, afterId: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'actor_id',
      'action',
      'entity_type',
      'entity_id',
      'facility_id',
      'detail_json',
      'ip',
      'request_id',
      'prev_hash',
      'hash',
    ])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
}

/**
 * SQLite's `data_version`: it changes whenever another connection commits
 * (this connection's own writes leave it alone). Null where there is none.
 */
export async function readDataVersion(db: Kysely<Database>): Promise<number | null> {
  if (dialectOf(db) !== 'sqlite') return null
  try {
    const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db)
    return rows[0]?.data_version ?? null
  } catch {
    return null
  }
}
