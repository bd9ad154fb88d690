/**
 * The review queue: the round's submitted assessments in the reviewer's
 * scope, filtered by province, tier, submission date and name (searched like
 * the facilities table), in pages; and the selection a bulk verification
 * takes, ticked rows or every row matching the filters.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import { foldSearchKey } from '../../db/text.ts'
import type { Database } from '../../db/schema.ts'
import { listProvinces } from '../models/facility.server.ts'
import { countPendingMilestones, listPendingMilestones } from '../models/rollout.server.ts'
import {
  countReviewQueue,
  listReviewQueue,
  listReviewQueueKeys,
  type ReviewQueueQuery,
} from '../models/review.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { vietnamDayStart } from '../utils/date-format.ts'
import { MAX_BULK } from './bulk-limit.ts'
import { scopeExamples } from './scope-examples.server.ts'

export const QUEUE_PAGE_SIZE = 50

/** Each filter on its own: a malformed one is dropped (and said), the others still apply. */
const QueueFieldSchemas = {
  q: z.string().trim().min(1).max(100),
  province: z.string().regex(/^\d{2}$/),
  tier: z.enum(['central', 'provincial', 'basic']),
  from: z.iso.date(),
  to: z.iso.date(),
  page: z.coerce.number().int().min(1).max(100_000),
}

export interface QueueParams {
  q?: string
  province?: string
  tier?: 'central' | 'provincial' | 'basic'
  /** Submitted on or after this day in Vietnam (YYYY-MM-DD). */
  from?: string
  /** Submitted on or before this day in Vietnam (YYYY-MM-DD). */
  to?: string
  page: number
}

/** The queue's filters from a query string; `invalid` names the ones that were dropped. */
export function parseQueueParams(search: URLSearchParams): {
  params: QueueParams
  invalid: string[]
} {
  const params: QueueParams = { page: 1 }
  const invalid: string[] = []
  for (const [name, schema] of Object.entries(QueueFieldSchemas)) {
    const raw = search.get(name)
    if (raw === null || raw.trim() === '') continue
    const parsed = schema.safeParse(raw)
    if (parsed.success) Object.assign(params, { [name]: parsed.data })
    else invalid.push(name)
  }
  if (params.from && params.to && params.from > params.to) {
    delete params.to
    invalid.push('to')
  }
  return { params, invalid }
}

/** The filters as the model's query: days in Vietnam, the search folded like the search keys. */
export function queueQuery(roundId: number, p: QueueParams): ReviewQueueQuery {
  return {
    roundId,
    province: p.province,
    tier: p.tier,
    submittedFrom: p.from ? vietnamDayStart(p.from) : undefined,
    submittedTo: p.to ? vietnamDayStart(p.to, 1) : undefined,
    search: p.q ? foldSearchKey(p.q) : undefined,
  }
}

export async function getQueuePage(
  db: Kysely<Database>,
  filter: FacilityFilter,
  round: { id: number; name: string },
  params: QueueParams,
) {
  const query = queueQuery(round.id, params)
  const [rows, total, provinces, examples] = await Promise.all([
    listReviewQueue(db, filter, query, {
      limit: QUEUE_PAGE_SIZE,
      offset: (params.page - 1) * QUEUE_PAGE_SIZE,
    }),
    countReviewQueue(db, filter, query),
    listProvinces(db, filter),
    scopeExamples(db, filter),
  ])
  return {
    round,
    rows,
    total,
    pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
    provinces,
    searchExample: examples.search,
  }
}

/**
 * Every submission matching the filters (the queue's query string) as
 * id/version pairs, for "select all N matching"; `tooMany` past what one
 * bulk verification takes.
 */
export async function selectAllMatching(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
  queryString: string,
): Promise<{ kind: 'ok'; items: Array<[number, number]> } | { kind: 'tooMany' }> {
  const { params } = parseQueueParams(new URLSearchParams(queryString))
  const keys = await listReviewQueueKeys(db, filter, queueQuery(roundId, params), MAX_BULK + 1)
  if (keys.length > MAX_BULK) return { kind: 'tooMany' }
  return { kind: 'ok', items: keys.map((k) => [k.id, k.version]) }
}

/** How many of the oldest waiting milestones the queue names; the rest are on /rollout/confirm. */
export const PENDING_MILESTONES_SHOWN = 5

/**
 * The rollout milestones waiting for this reviewer's confirmation (their
 * scope): how many, and the oldest few, each confirmed on /rollout/confirm.
 */
export async function getPendingMilestones(db: Kysely<Database>, filter: FacilityFilter) {
  const [count, oldest] = await Promise.all([
    countPendingMilestones(db, filter),
    listPendingMilestones(db, filter, PENDING_MILESTONES_SHOWN),
  ])
  return {
    count,
    oldest: oldest.map((m) => ({
      id: m.id,
      code: m.code,
      name: m.name,
      kind: m.kind,
      occurredOn: m.occurred_on,
      proposedAt: m.proposed_at,
    })),
  }
}
