/**
 * The append-only audit log: every security-relevant or data-changing act.
 *
 * Rows form a hash chain (migration 0006): each stores its predecessor's
 * hash and the SHA-256 of that hash and its own canonical content, so a row
 * changed, inserted or removed behind the app's back shows up in
 * `verifyAuditChain` (app/review/audit-chain.server.ts). An append is one
 * transaction that first bumps `audit_chain_lock` (taking the write lock, or
 * in PostgreSQL the row's lock), then reads the head and inserts after it: a
 * second writer waits instead of reading the same head. `prev_hash` is
 * unique besides, so the chain cannot fork even if that order were broken.
 */
import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { AuditLogTable, Database } from '../../db/schema.ts'

export interface AuditInput {
  actorId: number | null
  action: string
  entityType: string
  entityId?: string | number | null
  facilityId?: number | null
  detail?: Record<string, unknown>
  ip?: string | null
  requestId?: string | null
  at: string
}

/** The predecessor of the first row. */
export const GENESIS_HASH = '0'.repeat(64)

/** What a row's hash covers: every column but the two chain columns. */
export type AuditChainContent = Omit<AuditLogTable, 'id' | 'prev_hash' | 'hash'> & { id: number }

function intOrNull(value: number | null): number | null {
  return value === null ? null : Number(value)
}

/**
 * The row's canonical content, as hashed: a JSON array of its columns in
 * table order, integers as numbers (a driver that returns them as strings
 * hashes the same). Must match migration 0006's copy.
 */
export function canonicalAuditContent(row: AuditChainContent): string {
  return JSON.stringify([
    Number(row.id),
    row.at,
    intOrNull(row.actor_id),
    row.action,
    row.entity_type,
    row.entity_id,
    intOrNull(row.facility_id),
    row.detail_json,
    row.ip,
    row.request_id,
  ])
}

/** hash = SHA-256(prev_hash + "\n" + canonical content), hex. */
export function auditRowHash(prevHash: string, row: AuditChainContent): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalAuditContent(row)}`)
    .digest('hex')
}

async function appendAudit(trx: Kysely<Database>, entry: AuditInput): Promise<void> {
  // First, before reading the head: the lock (see above).
  await trx
    .updateTable('audit_chain_lock')
    .set({ appends: sql<number>`appends + 1` })
    .where('id', '=', 1)
    .execute()
  const head = await trx
    .selectFrom('audit_log')
    .select(['id', 'at', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const row: AuditChainContent = {
    id: (head?.id ?? 0) + 1,
    // The chain is in time order (that is how a back-dated row shows): a row
    // whose time was taken before a concurrent request wrote its own is
    // recorded at its predecessor's time, milliseconds later.
    at: head && head.at > entry.at ? head.at : entry.at,
    actor_id: entry.actorId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id:
      entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    facility_id: entry.facilityId ?? null,
    // JSON encoding also neutralises CR/LF, so input cannot forge log lines.
    detail_json: JSON.stringify(entry.detail ?? {}),
    ip: entry.ip ?? null,
    request_id: entry.requestId ?? null,
  }
  const prevHash = head?.hash ?? GENESIS_HASH
  await trx
    .insertInto('audit_log')
    .values({ ...row, prev_hash: prevHash, hash: auditRowHash(prevHash, row) })
    .execute()
}

/** Appends one row to the chain, inside the caller's transaction or a new one. */
export async function writeAudit(db: Kysely<Database>, entry: AuditInput): Promise<void> {
  if (db.isTransaction) return appendAudit(db, entry)
  return db.transaction().execute((trx) => appendAudit(trx, entry))
}
