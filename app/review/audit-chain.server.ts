/**
 * Verifying the audit log's hash chain (migration 0006), for
 * `npm run audit:verify` (every row, every time) and the audit page (every
 * row once, then what is new while nobody else wrote; see
 * `auditChainStatus`). A walk goes in id order and stops at the first row
 * that does not hold:
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
import { listAuditChainRows, readDataVersion } from '../models/audit-query.server.ts'

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

/** Where a walk along the chain stands: the last row that held. */
interface ChainPosition {
  id: number
  at: string
  hash: string
  rows: number
  /** Past the `audit.chain_started` row: time order applies. */
  timeOrdered: boolean
}

/** Walks the chain from `from` (or the first row) to its end, stopping at the first break. */
async function walkChain(
  db: Kysely<Database>,
  from: ChainPosition | null,
  expect: ChainHead | undefined,
): Promise<{ verdict: ChainVerdict; end: ChainPosition | null }> {
  let previous = from
  let timeOrdered = from?.timeOrdered ?? false
  // (An anchor before `from` is not walked again, so it would be reported missing.)
  let anchorSeen = false
  let rows = from?.rows ?? 0
  for (;;) {
    const batch = await listAuditChainRows(db, previous?.id ?? 0, BATCH)
    if (batch.length === 0) break
    for (const row of batch) {
      const broken = (reason: ChainBreak) => ({
        verdict: {
          ok: false as const,
          rows,
          brokenAt: row.id,
          reason,
          previousId: previous?.id ?? null,
        },
        end: null,
      })
      if (row.prev_hash !== (previous?.hash ?? GENESIS_HASH)) return broken('unlinked')
      if (row.hash !== auditRowHash(row.prev_hash, row)) return broken('changed')
      if (timeOrdered && previous && row.at < previous.at) return broken('backdated')
      if (row.action === CHAIN_START_ACTION) timeOrdered = true
      if (expect && row.id === expect.id) {
        if (row.hash !== expect.hash) return broken('anchor')
        anchorSeen = true
      }
      rows++
      previous = { id: row.id, at: row.at, hash: row.hash, rows, timeOrdered }
    }
  }
  if (expect && !anchorSeen) {
    return {
      verdict: {
        ok: false,
        rows,
        brokenAt: expect.id,
        reason: 'anchor',
        previousId: previous?.id ?? null,
      },
      end: null,
    }
  }
  const head = previous ? { id: previous.id, hash: previous.hash } : null
  return { verdict: { ok: true, rows, head }, end: previous }
}

/** Every row, from the first (what `npm run audit:verify` runs). */
export async function verifyAuditChain(
  db: Kysely<Database>,
  options: { expect?: ChainHead } = {},
): Promise<ChainVerdict> {
  return (await walkChain(db, null, options.expect)).verdict
}

/** Per database handle: how far the chain held at the last view, and SQLite's data_version then. */
const checkpoints = new WeakMap<Kysely<Database>, { dataVersion: number; at: ChainPosition }>()

/**
 * The chain's state for the audit page, as exact as a full walk but without
 * re-reading every row on every view. SQLite's `data_version` changes when
 * any other connection commits — and rows can only be rewritten, removed or
 * slipped in from another connection (this one only appends through
 * `writeAudit`). So while it stands still since the last view, only the rows
 * this process appended are new and the walk continues from where it ended;
 * otherwise (another process wrote, someone edited the file) it starts over
 * from the first row. Without `data_version` (another database) it always
 * starts over.
 */
export async function auditChainStatus(db: Kysely<Database>): Promise<ChainVerdict> {
  const dataVersion = await readDataVersion(db)
  const kept = checkpoints.get(db)
  const from = kept && dataVersion !== null && kept.dataVersion === dataVersion ? kept.at : null
  const { verdict, end } = await walkChain(db, from, undefined)
  if (end && dataVersion !== null) checkpoints.set(db, { dataVersion, at: end })
  else checkpoints.delete(db)
  return verdict
}
