/**
 * Compare two to five facilities side by side, by domain and by item, each
 * against the median of its tier and of its province in the round. Scores are
 * the latest ones (verified when a reviewer verified them, else declared) and
 * say which.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { getQuestionTexts } from '../questionnaire/texts.server.ts'
import type { Locale } from '../i18n.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import {
  findFacilityIdsByCode,
  listCompareFacilities,
  listPeerComposites,
  listPeerDomainScores,
  type PeerGroup,
} from '../models/review.server.ts'
import { getCurrentScore } from '../models/score.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { MIN_PEER_GROUP, peerMedian, peerMediansByKey } from '../utils/medians.ts'

export const MIN_COMPARE = 2
export const MAX_COMPARE = 5

const idList = (error: string) =>
  z
    .string()
    .trim()
    .transform((s) => s.split(/[\s,;]+/).filter((x) => x !== ''))
    .pipe(
      z
        .array(z.string())
        .min(MIN_COMPARE, { error })
        .max(MAX_COMPARE, { error })
        .refine((xs) => new Set(xs).size === xs.length, { error: 'duplicate' }),
    )

/** `?ids=1,2,3` (facility ids) or `?codes=38001,01001` (facility codes, from the form). */
export const CompareParamsSchema = z.union([
  z.strictObject({
    ids: idList('count').pipe(
      z.array(
        z
          .string()
          .regex(/^[1-9]\d{0,9}$/, { error: 'ids' })
          .transform(Number),
      ),
    ),
  }),
  z.strictObject({
    codes: idList('count').pipe(z.array(z.string().regex(/^\d{2,10}$/, { error: 'codes' }))),
  }),
])

/** The first issue's message: one of 'count', 'duplicate', 'ids', 'codes'. */
export function compareError(error: z.ZodError): string {
  const messages = error.issues.flatMap((i) =>
    i.code === 'invalid_union' ? i.errors.flat().map((e) => e.message) : [i.message],
  )
  return ['count', 'duplicate', 'codes', 'ids'].find((m) => messages.includes(m)) ?? 'invalid'
}

/** Facility codes → ids in scope; the codes not found (or outside scope) are named. */
export async function resolveCodes(
  db: Kysely<Database>,
  filter: FacilityFilter,
  codes: readonly string[],
) {
  const found = await findFacilityIdsByCode(db, filter, codes)
  const byCode = new Map(found.map((f) => [f.code, f.id]))
  return {
    ids: codes.flatMap((c) => {
      const id = byCode.get(c)
      return id === undefined ? [] : [id]
    }),
    missing: codes.filter((c) => !byCode.has(c)),
  }
}

const toPoints = (bp: number | null) => (bp === null ? null : bp / 100)

/**
 * The comparison, or null when any facility is missing or outside the
 * user's scope (the route answers 404, so ids cannot be probed).
 */
export async function getComparison(
  db: Kysely<Database>,
  filter: FacilityFilter,
  ids: readonly number[],
  round: { id: number; name: string; questionnaire_id: number; scoring_model_id: number },
  locale: Locale,
) {
  const rows = await listCompareFacilities(db, filter, ids, round.id)
  if (rows.length !== ids.length) return null
  const byId = new Map(rows.map((r) => [r.id, r]))
  const model = await getScoringModel(db, round.scoring_model_id)
  const questionnaire = await getQuestionnaire(db, round.questionnaire_id)
  const texts = getQuestionTexts(questionnaire.json, questionnaire.version, locale)

  // Medians are computed once per distinct tier and province among the facilities,
  // and only for groups of at least MIN_PEER_GROUP facilities (`count` says how many).
  const medianCache = new Map<
    string,
    Promise<{ composite: number | null; domains: Record<string, number>; count: number }>
  >()
  const mediansOf = (key: string, group: PeerGroup) => {
    let pending = medianCache.get(key)
    if (!pending) {
      pending = Promise.all([listPeerComposites(db, group), listPeerDomainScores(db, group)]).then(
        ([composites, domains]) => ({
          composite: toPoints(peerMedian(composites.map((c) => c.composite_bp))),
          domains: Object.fromEntries(
            Object.entries(
              peerMediansByKey(domains.map((d) => ({ key: d.domain_id, value: d.score_bp }))),
            ).map(([k, v]) => [k, v / 100]),
          ),
          count: composites.length,
        }),
      )
      medianCache.set(key, pending)
    }
    return pending
  }

  const facilities = await Promise.all(
    ids.map(async (id) => {
      const f = byId.get(id)
      if (!f) throw new Error('unreachable: every id was found above')
      const current = f.assessment_id === null ? null : await getCurrentScore(db, f.assessment_id)
      const score = current?.score ?? null
      const base = { roundId: round.id }
      const [tierMedian, provinceMedian] = await Promise.all([
        mediansOf(`tier:${f.tier}`, { ...base, tier: f.tier }),
        mediansOf(`province:${f.province_code}`, { ...base, provinceCode: f.province_code }),
      ])
      return {
        id: f.id,
        code: f.code,
        name: f.name,
        tier: f.tier,
        provinceName: f.province_name,
        status: f.status ?? 'not_started',
        assessmentId: f.assessment_id,
        basis: current?.basis ?? null,
        composite: score ? score.composite : null,
        level: score ? score.level.id : null,
        completeness: score ? score.completeness : null,
        domains: Object.fromEntries(
          (score?.domains ?? []).map((d) => [d.id, d.applicable ? d.score * 100 : null]),
        ) as Record<string, number | null>,
        items: Object.fromEntries(
          (score?.items ?? []).map((i) => [
            i.id,
            { score: i.status === 'notApplicable' ? null : i.score, source: i.source },
          ]),
        ) as Record<string, { score: number | null; source: 'declared' | 'verified' }>,
        tierMedian,
        provinceMedian,
      }
    }),
  )

  return {
    round: { id: round.id, name: round.name },
    minPeerGroup: MIN_PEER_GROUP,
    facilities,
    domains: model.domains.map((d) => ({
      id: d.id,
      title: localized(d.title, locale),
      items: model.items
        .filter((i) => i.domainId === d.id)
        .map((i) => ({ id: i.id, question: texts.get(i.id)?.title ?? i.id })),
    })),
  }
}
