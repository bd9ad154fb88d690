/**
 * The facilities a wave is ranked from, with their scores, and the SHA-256 of
 * the canonical JSON of exactly what the ranking reads (the "input hash" a
 * saved run keeps, so anyone can tell whether today's data differs).
 *
 * A stored result is about 14 kB of JSON per facility; parsing 13,000 of them
 * on every page view would take seconds. Scores only change through a new row
 * or a new `computed_at`, so each is parsed once per process and kept in a
 * slim form holding what ranking needs: composite, level, completeness,
 * domains, gates and the items the gates and the priority model read, with
 * the answers the planner reads (beds in use, EMR stage, budget, and those
 * the model's answer rules read), resolved on the basis through the engine's
 * one declared/verified resolution: on the verified basis a reviewer's
 * verified value replaces the declared answer for every one of them.
 *
 * Above that, the lists themselves are kept while the change counters of
 * their tables (migration 0005) stand still: a reviewer trying parameters
 * does not make the server read and join 13,000 rows again each time.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import type { EmrStatus, FacilityClass, Ownership } from '../../db/schema.ts'
import type { RegistryFacts } from '../../scoring/answer-rules.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { PriorityModel, ReferralRole } from '../../scoring/priority.ts'
import { resolveAnswer, type AssessmentScore } from '../../scoring/score.ts'
import { listAppliedVerifiedValues } from '../models/review.server.ts'
import { registryFacts } from '../quality/answer-rules.server.ts'
import {
  getChangeCounters,
  listProvinceNames,
  listRoundAssessments,
  listScopedFacilities,
  listScoreStamps,
  listWaveScorePayloads,
} from '../models/wave-input.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { decodeScore } from '../models/score.server.ts'
import { decodeAnswerList } from '../models/stored-json.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { MIB } from '../utils/bytes.ts'
import { LruMap } from '../utils/lru-map.ts'
import { canonicalJson } from './canonical-json.ts'

export interface WaveInput {
  facilityId: number
  code: string
  name: string
  provinceCode: string
  provinceName: string
  tier: 'central' | 'provincial' | 'basic'
  ownership: string
  beds: number
  autonomyGroup: number | null
  emrStatus: string
  /** Registry facts (0011); null where the registry does not say. */
  hasImaging: boolean | null
  referralRole: ReferralRole | null
  facilityClass: FacilityClass | null
  /** The same registry facts as the answer rules read them. */
  registry: RegistryFacts
  basis: 'declared' | 'verified'
  /** The answers the planner reads (`plannerQuestions`), resolved on the basis. */
  answers: Readonly<Record<string, unknown>>
  /** Those of them that are a reviewer's verified value (verified basis only). */
  verifiedQuestions: readonly string[]
  /** The engine's result, slimmed: `items` holds only the items gates and priorities read. */
  score: AssessmentScore
}

interface CachedScore {
  stamp: string
  score: AssessmentScore
  answers: Readonly<Record<string, unknown>>
  verifiedQuestions: readonly string[]
  /** SHA-256 (hex) of canonicalJson({ answers, score, verifiedQuestions }), reused for the input hash. */
  digest: string
}

const CACHE_LIMIT = 60_000
const cache = new Map<number, CachedScore>()
const CHUNK = 500

/**
 * The answers the planner reads for a model: the priority model's (beds in
 * use, EMR stage, budget and its "don't know" companion) and every answer the
 * model's answer rules read, in a stable order.
 */
export function plannerQuestions(model: ScoringModel, priority: PriorityModel): string[] {
  const names = new Set<string>([
    priority.answers.bedsInUse,
    priority.answers.emrStage,
    priority.answers.budgetSecuredPct,
  ])
  const budgetStatus = model.items.find((i) => i.id === priority.answers.budgetSecuredPct)
  if (budgetStatus?.statusQuestion) names.add(budgetStatus.statusQuestion)
  for (const rule of model.answerRules ?? []) {
    for (const p of rule.when.all) {
      if (p.kind === 'answer' || p.kind === 'mismatch') names.add(p.question)
      if (p.kind === 'compare') {
        for (const side of [p.left, p.right]) if ('answer' in side) names.add(side.answer)
      }
    }
  }
  return [...names].sort()
}

function slimScore(model: ScoringModel, full: AssessmentScore): AssessmentScore {
  const gateItems = new Set([
    ...model.gates.flatMap((g) => (g.condition.kind === 'item' ? [g.condition.itemId] : [])),
    ...CURRENT_PRIORITY_MODEL.feasibility.hisCompatibility.items,
  ])
  return {
    modelId: full.modelId,
    modelVersion: full.modelVersion,
    composite: full.composite,
    compositeBp: full.compositeBp,
    level: full.level,
    completeness: full.completeness,
    meetsCompleteness: full.meetsCompleteness,
    domains: full.domains,
    items: full.items.filter((i) => gateItems.has(i.id)),
    gates: full.gates,
    invalid: [],
  }
}

export interface FacilityKey {
  autonomyGroup: number | null
  basis: string
  beds: number
  code: string
  emrStatus: string
  facilityClass: string | null
  hasImaging: boolean | null
  id: number
  ownership: string
  province: string
  referralRole: string | null
  tier: string
}

/**
 * canonicalJson(f), written out with the keys in code-unit order because it
 * runs 13,000 times per national page (a unit test checks it against
 * canonicalJson).
 */
export function facilityJson(f: FacilityKey): string {
  const j = JSON.stringify
  return `{"autonomyGroup":${j(f.autonomyGroup)},"basis":${j(f.basis)},"beds":${j(f.beds)},"code":${j(f.code)},"emrStatus":${j(f.emrStatus)},"facilityClass":${j(f.facilityClass)},"hasImaging":${j(f.hasImaging)},"id":${j(f.id)},"ownership":${j(f.ownership)},"province":${j(f.province)},"referralRole":${j(f.referralRole)},"tier":${j(f.tier)}}`
}

/**
 * Parses the current round's stored scores (declared and verified) into the
 * cache, so the first national plan after a restart takes the warm path.
 * Run in the background after the server starts: it reads in chunks of 500
 * and awaits between them, so requests are served meanwhile. Returns how
 * many scores are cached.
 */
export async function warmWaveInputs(db: Kysely<Database>, today: string): Promise<number> {
  const round = await getCurrentRound(db, today)
  if (!round) return 0
  const model = await getScoringModel(db, round.scoring_model_id)
  for (const verifiedOnly of [false, true]) {
    await loadWaveInputs(
      db,
      { kind: 'all' },
      { roundId: round.id, model, scoringModelId: round.scoring_model_id, verifiedOnly },
    )
  }
  return cache.size
}

/** Drops every cached score and kept list (tests and benches measure cold runs with it). */
export function clearWaveScoreCache(): void {
  cache.clear()
  keptInputs.clear()
  keptFacilities.clear()
}

type WaveInputs = {
  inputs: WaveInput[]
  inputHash: string
  /** Codes of every facility in scope and of every province: lines naming others are refused. */
  facilityCodes: ReadonlySet<string>
  provinceCodes: ReadonlySet<string>
}
type ScopedFacilities = {
  facilities: Awaited<ReturnType<typeof listScopedFacilities>>
  provinceName: Map<string, string>
  facilityCodes: ReadonlySet<string>
  /** Each facility's registry facts as the answer rules read them, built once per kept list. */
  registry: ReadonlyMap<number, RegistryFacts>
}

// Kept results are shared between requests and never mutated. A few scopes
// (the nation, a handful of provinces) times two bases is what reviewers open;
// the nation's declared inputs are about 67 MB as approximateBytes counts them at 13,000.
const keptInputs = new LruMap<string, WaveInputs>({ entries: 8, bytes: 144 * MIB })
const keptFacilities = new LruMap<string, ScopedFacilities>({ entries: 8, bytes: 24 * MIB })

/** The value kept under `key`, or `load()`'s, kept from now on. */
async function kept<T>(map: LruMap<string, T>, key: string, load: () => Promise<T>): Promise<T> {
  const found = map.get(key)
  if (found !== undefined) return found
  const value = await load()
  map.set(key, value)
  return value
}

/**
 * Facilities in scope with a score for the round on the chosen basis,
 * ordered by facility id, and the input hash, in two levels so that an
 * unchanged score is never re-hashed:
 *   inputHash = SHA-256(canonicalJson([{ facility, inputs }, …])) in facility-id order,
 *   inputs    = SHA-256(canonicalJson({ answers, score, verifiedQuestions })) (hex),
 * where `facility` holds the registry attributes the planner reads (id, code,
 * province, tier, ownership, beds, autonomy group, EMR status, imaging,
 * referral role, class, basis), `answers` the resolved answers it reads and
 * `score` the slim result described above. The result is kept (and shared: never mutate it) until
 * a change counter of its sources moves.
 */
export async function loadWaveInputs(
  db: Kysely<Database>,
  filter: FacilityFilter,
  input: { roundId: number; model: ScoringModel; scoringModelId: number; verifiedOnly: boolean },
): Promise<WaveInputs> {
  // The counters are read before the lists: a write landing in between makes
  // what is kept newer than its counters say, and the next view reads again.
  const counters = await getChangeCounters(db)
  const { roundId, scoringModelId, verifiedOnly } = input
  return kept(
    keptInputs,
    canonicalJson({ counters, filter, roundId, scoringModelId, verifiedOnly }),
    async () => {
      const scoped = await kept(
        keptFacilities,
        canonicalJson({ facilities: counters.facilities, filter, provinces: counters.provinces }),
        async () => {
          const [facilities, provinces] = await Promise.all([
            listScopedFacilities(db, filter),
            listProvinceNames(db),
          ])
          return {
            facilities,
            provinceName: new Map(provinces.map((p) => [p.code, p.name])),
            facilityCodes: new Set(facilities.map((f) => f.code)),
            registry: new Map(facilities.map((f) => [f.id, registryFacts(f)])),
          }
        },
      )
      return readWaveInputs(db, scoped, input)
    },
  )
}

/** The inputs from the scoped facilities and the round's assessments and scores read now. */
async function readWaveInputs(
  db: Kysely<Database>,
  { facilities, provinceName, facilityCodes, registry }: ScopedFacilities,
  input: { roundId: number; model: ScoringModel; scoringModelId: number; verifiedOnly: boolean },
): Promise<WaveInputs> {
  const basis: 'declared' | 'verified' = input.verifiedOnly ? 'verified' : 'declared'
  const [assessments, scores] = await Promise.all([
    listRoundAssessments(db, {
      roundId: input.roundId,
      statuses: input.verifiedOnly ? ['verified'] : ['submitted', 'verified'],
    }),
    listScoreStamps(db, { scoringModelId: input.scoringModelId, basis }),
  ])
  const assessmentByFacility = new Map(assessments.map((a) => [a.facility_id, a]))
  const scoreByAssessment = new Map(scores.map((sc) => [sc.assessment_id, sc]))
  // One assessment per facility and round (a UNIQUE constraint), one score per model and
  // basis. Rows are copied field by field: spreading the driver's row objects is several
  // times slower on 13,000 rows.
  const rows: Array<{
    id: number
    code: string
    name: string
    province_code: string
    province_name: string
    tier: WaveInput['tier']
    ownership: Ownership
    beds: number
    autonomy_group: number | null
    emr_status: EmrStatus
    has_imaging: 0 | 1 | null
    referral_role: ReferralRole | null
    facility_class: FacilityClass | null
    version: number
    score_id: number
    computed_at: string
    basis: 'declared' | 'verified'
  }> = []
  for (const f of facilities) {
    const assessment = assessmentByFacility.get(f.id)
    const score = assessment ? scoreByAssessment.get(assessment.id) : undefined
    if (!assessment || !score) continue
    rows.push({
      id: f.id,
      code: f.code,
      name: f.name,
      province_code: f.province_code,
      province_name: provinceName.get(f.province_code) ?? f.province_code,
      tier: f.tier,
      ownership: f.ownership,
      beds: f.beds,
      autonomy_group: f.autonomy_group,
      emr_status: f.emr_status,
      has_imaging: f.has_imaging,
      referral_role: f.referral_role,
      facility_class: f.facility_class,
      version: assessment.version,
      score_id: score.id,
      computed_at: score.computed_at,
      basis,
    })
  }
  const stampOf = (r: (typeof rows)[number]) => `${r.computed_at}|${r.version}|${r.basis}`
  const missing = rows.filter((r) => cache.get(r.score_id)?.stamp !== stampOf(r))
  if (cache.size + missing.length > CACHE_LIMIT) cache.clear()
  const questions = plannerQuestions(input.model, CURRENT_PRIORITY_MODEL)
  for (let i = 0; i < missing.length; i += CHUNK) {
    const slice = missing.slice(i, i + CHUNK)
    const stamps = new Map(slice.map((r) => [r.score_id, stampOf(r)]))
    const payloads = await listWaveScorePayloads(
      db,
      slice.map((r) => r.score_id),
      questions,
    )
    // The verified basis reads the reviewer's values first, for every answer it reads.
    const verifiedByAssessment = new Map<number, Record<string, unknown>>()
    if (basis === 'verified') {
      const wanted = new Set(questions)
      for (const v of await listAppliedVerifiedValues(
        db,
        payloads.map((p) => p.assessment_id),
      )) {
        if (!wanted.has(v.question)) continue
        const values = verifiedByAssessment.get(v.assessment_id) ?? {}
        values[v.question] = v.value
        verifiedByAssessment.set(v.assessment_id, values)
      }
    }
    for (const p of payloads) {
      const score = slimScore(input.model, decodeScore(p.result_json))
      const extracted = decodeAnswerList(p.answers_json, questions.length)
      const declared = Object.fromEntries(questions.map((q, k) => [q, extracted[k] ?? null]))
      const verified = verifiedByAssessment.get(p.assessment_id)
      const answers = Object.fromEntries(
        questions.map((q) => [q, resolveAnswer(declared, verified, q) ?? null]),
      )
      const verifiedQuestions = questions.filter((q) => verified !== undefined && q in verified)
      cache.set(p.score_id, {
        stamp: stamps.get(p.score_id) ?? '',
        score,
        answers,
        verifiedQuestions,
        digest: createHash('sha256')
          .update(canonicalJson({ answers, score, verifiedQuestions }))
          .digest('hex'),
      })
    }
  }
  const parts: string[] = []
  const inputs: WaveInput[] = []
  rows.forEach((r) => {
    const cached = cache.get(r.score_id)
    if (!cached) throw new Error(`score ${r.score_id} disappeared while ranking`)
    const facility = facilityJson({
      autonomyGroup: r.autonomy_group,
      basis: r.basis,
      beds: r.beds,
      code: r.code,
      emrStatus: r.emr_status,
      facilityClass: r.facility_class,
      hasImaging: r.has_imaging === null ? null : r.has_imaging === 1,
      id: r.id,
      ownership: r.ownership,
      province: r.province_code,
      referralRole: r.referral_role,
      tier: r.tier,
    })
    // Keys in code-unit order: "facility" < "inputs" — the text is canonical JSON.
    parts.push(`{"facility":${facility},"inputs":"${cached.digest}"}`)
    inputs.push({
      facilityId: r.id,
      code: r.code,
      name: r.name,
      provinceCode: r.province_code,
      provinceName: r.province_name,
      tier: r.tier,
      ownership: r.ownership,
      beds: r.beds,
      autonomyGroup: r.autonomy_group,
      emrStatus: r.emr_status,
      hasImaging: r.has_imaging === null ? null : r.has_imaging === 1,
      referralRole: r.referral_role,
      facilityClass: r.facility_class,
      registry: registry.get(r.id) ?? registryFacts(r),
      basis: r.basis,
      answers: cached.answers,
      verifiedQuestions: cached.verifiedQuestions,
      score: cached.score,
    })
  })
  const inputHash = createHash('sha256')
    .update(`[${parts.join(',')}]`)
    .digest('hex')
  return { inputs, inputHash, facilityCodes, provinceCodes: new Set(provinceName.keys()) }
}
