/**
 * Verifying the audit log's hash chain (migration 0006), for
 * `npm run audit:verify` and the audit page. Walks every row in id order and
 * stops at the first one that does not hold:
 * - `changed`: its hash is not the SHA-256 of its predecessor's hash and its
 *   own content — the row was rewritten;
 * - `unlinked`: it does not name its predecessor's hash — a row before it was
 *   removed, or it was inserted;
 * - `backdated`: from the `audit.chain_started` row on, it is dated before
 *   its predecessor — appended later with an earlier time;
 * - `anchor`: a head kept outside the database (`expect`) is no longer in
 *   the chain — the log was rewritten up to it, hashes and all, or cut.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { auditRowHash, GENESIS_HASH } from '../models/audit.server.ts'
import { listAuditChainRows } from '../models/audit-query.server.ts'

const BATCH = 2000
const CHAIN_START_ACTION = 'audit.chain_started'

export interface ChainHead {
  id: number
  hash: string
}

export type ChainBreak = 'changed' | 'unlinked' | 'backdated' | 'anchor'

export type ChainVerdict =
  | { ok: true; rows: number; head: ChainHead | null }
  | {
      ok: false
      rows: number
      /** The first row that does not hold (for `anchor`: the exported head's id). */
      brokenAt: number
      reason: ChainBreak
      /** The row before it in the chain, when there is one. */
      previousId: number | null
    }

/** An exported head as `npm run audit:verify` prints it: `<id>:<hash>`. */
export function parseChainHead(value: string): ChainHead | null {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value.trim())
  return match?.[1] && match[2] ? { id: Number(match[1]), hash: match[2] } : null
}

export async function verifyAuditChain(
  db: Kysely<Database>,
  options: { expect?: ChainHead } = {},
): Promise<ChainVerdict> {
  let previous: { id: number; at: string; hash: string } | null = null
  let timeOrdered = false
  let anchorSeen = false
  let rows = 0
  for (;;) {
    const batch = await listAuditChainRows(db, previous?.id ?? 0, BATCH)
    if (batch.length === 0) break
    for (const row of batch) {
      const broken = (reason: ChainBreak): ChainVerdict => ({
        ok: false,
        rows,
        brokenAt: row.id,
        reason,
        previousId: previous?.id ?? null,
      })
      if (row.prev_hash !== (previous?.hash ?? GENESIS_HASH)) return broken('unlinked')
      if (row.hash !== auditRowHash(row.prev_hash, row)) return broken('changed')
      if (timeOrdered && previous && row.at < previous.at) return broken('backdated')
      if (row.action === CHAIN_START_ACTION) timeOrdered = true
      if (options.expect && row.id === options.expect.id) {
        if (row.hash !== options.expect.hash) return broken('anchor')
        anchorSeen = true
      }
      previous = { id: row.id, at: row.at, hash: row.hash }
      rows++
    }
  }
  if (options.expect && !anchorSeen) {
    return {
      ok: false,
      rows,
      brokenAt: options.expect.id,
      reason: 'anchor',
      previousId: previous?.id ?? null,
    }
  }
  return { ok: true, rows, head: previous ? { id: previous.id, hash: previous.hash } : null }
}
