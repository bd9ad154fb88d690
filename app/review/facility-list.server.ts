/**
 * The reviewers' facilities table, read from the URL once for the page and
 * its downloads: the filter schema, the current round's query and the
 * domains it can sort by. The downloads walk every page of the same query
 * (`listFacilities`), so a file holds exactly the rows the page shows for
 * those filters, in the page's order.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { foldSearchKey } from '../../db/text.ts'
import type { Locale } from '../i18n.ts'
import { getScoringModel } from '../models/content.server.ts'
import { listFacilities, type FacilityListQuery } from '../models/facility-list.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { todayInVietnam } from '../utils/time.server.ts'

const FACILITY_PAGE_SIZE = 50

const FacilityListParamsSchema = z.object({
  q: z.string().max(100).optional(),
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  tier: z.enum(['central', 'provincial', 'basic']).optional(),
  ownership: z.enum(['public', 'private']).optional(),
  status: z.enum(['not_started', 'draft', 'submitted', 'returned', 'verified']).optional(),
  level: z.string().regex(/^R\d$/).optional(),
  emr: z.enum(['none', 'in_progress', 'live']).optional(),
  sort: z
    .union([
      z.enum(['name', 'code', 'composite', 'level']),
      z.templateLiteral(['domain.', z.string().regex(/^[a-z][a-z0-9_]*$/)]),
    ])
    .default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
})

export interface ListDomain {
  id: string
  title: string
}

/**
 * The table's filters from the URL, the current round's query and domains.
 * Blank selects mean "any"; anything malformed is dropped back to the
 * default (and `invalid` says so), never trusted.
 */
export async function facilityListRequest(db: Kysely<Database>, url: URL, locale: Locale) {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''))
  const parsed = FacilityListParamsSchema.safeParse(raw)
  const params = parsed.success ? parsed.data : FacilityListParamsSchema.parse({})
  const round = await getCurrentRound(db, todayInVietnam())
  const model = round ? await getScoringModel(db, round.scoring_model_id) : null
  const domains: ListDomain[] = (model?.domains ?? []).map((d) => ({
    id: d.id,
    title: localized(d.title, locale),
  }))
  const sortedDomain = domains.find((d) => params.sort === `domain.${d.id}`) ?? null
  const query: FacilityListQuery = {
    ...params,
    roundId: round?.id ?? null,
    search: params.q ? foldSearchKey(params.q) : undefined,
    pageSize: FACILITY_PAGE_SIZE,
  }
  return { params, invalid: !parsed.success, query, domains, sortedDomain }
}

export type FacilityListRow = Awaited<ReturnType<typeof listFacilities>>[number]

/** Rows per query when a download walks the pages (each page's ids go into one IN list). */
const EXPORT_PAGE_SIZE = 500

/** Every row of the query, all pages, in the page's order (the download's rows). */
export async function listAllFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  query: FacilityListQuery,
  batchSize = EXPORT_PAGE_SIZE,
): Promise<FacilityListRow[]> {
  const rows: FacilityListRow[] = []
  for (let page = 1; ; page++) {
    const batch = await listFacilities(db, filter, { ...query, page, pageSize: batchSize })
    rows.push(...batch)
    if (batch.length < batchSize) return rows
  }
}
