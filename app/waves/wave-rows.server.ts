/**
 * Row shaping: one row per facility of a plan, as the lists, the files and
 * the JSON API show it, in ONE order — the engine's: ranked facilities by
 * the tie-break chain (priority ↓, gate subscore ↓, need ↓, code ↑, id ↑),
 * which is also the order selection takes them in; then the facilities left
 * out (excluded, or EMR already live) by code, then id.
 */
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { compareStrings, type ExclusionReason, type Ranking } from '../../scoring/rank.ts'
import type { RobustnessLabel } from '../../scoring/robustness.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import type { WaveResult } from '../../scoring/wave.ts'
import type { WaveInput } from './wave-inputs.server.ts'
import type { PriorityInputs } from './wave-request.server.ts'

export type Exclusion = { kind: 'emr_live' } | ExclusionReason

export interface WaveRow {
  facilityId: number
  code: string
  name: string
  province: string
  provinceName: string
  tier: string
  ownership: string
  rank: number | null
  tied: boolean
  compositeBp: number
  level: string
  priorityBp: number | null
  /** The tie-break keys after priority (null when not ranked, and in runs saved before them). */
  gateSubscoreBp: number | null
  needBp: number | null
  /** Need and feasibility with every input and its source (null in runs saved before them). */
  priorityInputs: PriorityInputs | null
  /** Ids of the model's answer rules that hold on the plan's basis (contradictions). */
  dataQuality: string[]
  costVnd: number
  selected: boolean
  tieAtCutoff: boolean
  domains: Record<string, number>
  exclusions: Exclusion[]
  /** For facilities not ready: the two weakest domains. */
  holdingBack: string[]
  completeness: number
  /** Share of robustness draws that select the facility; null before robustness runs. */
  selectionProbability: number | null
  robustness: RobustnessLabel | null
}

// Scores are cached and immutable (see wave-inputs), so their derived views are too.
const domainRecords = new WeakMap<AssessmentScore, Record<string, number>>()

function domainRecord(score: AssessmentScore): Record<string, number> {
  let record = domainRecords.get(score)
  if (!record) {
    record = Object.fromEntries(score.domains.map((d) => [d.id, d.score]))
    domainRecords.set(score, record)
  }
  return record
}

function weakestDomains(model: ScoringModel, score: AssessmentScore): string[] {
  return [...score.domains]
    .filter((d) => model.domains.some((m) => m.id === d.id))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .slice(0, 2)
    .map((d) => d.id)
}

/** One row per input facility, with its rank, selection and exclusions. */
export function shapeRows(input: {
  model: ScoringModel
  inputs: readonly WaveInput[]
  ranking: Ranking
  result: WaveResult
  priorityInputs: ReadonlyMap<string, PriorityInputs>
  dataQualityOf: (f: WaveInput) => string[]
  costOf: (code: string) => number
}): WaveRow[] {
  const { model, inputs, ranking, result, costOf } = input
  const selected = new Set(result.feasible ? result.selected : [])
  const ties = new Set(result.feasible ? result.tiesAtCutoff : [])
  const excludedById = new Map(ranking.excluded.map((e) => [e.facilityId, e.reasons]))
  const rankedById = new Map(ranking.ranked.map((r) => [r.facilityId, r]))
  const rows: WaveRow[] = inputs.map((f) => {
    const score = f.score
    const id = String(f.facilityId)
    const ranked = rankedById.get(id)
    const exclusions: Exclusion[] =
      f.emrStatus === 'live' ? [{ kind: 'emr_live' }] : (excludedById.get(id) ?? [])
    return {
      facilityId: f.facilityId,
      code: f.code,
      name: f.name,
      province: f.provinceCode,
      provinceName: f.provinceName,
      tier: f.tier,
      ownership: f.ownership,
      rank: ranked?.rank ?? null,
      tied: ranked?.tied ?? false,
      compositeBp: score.compositeBp,
      level: score.level.id,
      priorityBp: ranked?.priorityBp ?? null,
      gateSubscoreBp: ranked?.gateSubscoreBp ?? null,
      needBp: ranked?.needBp ?? null,
      priorityInputs: input.priorityInputs.get(id) ?? null,
      dataQuality: input.dataQualityOf(f),
      costVnd: costOf(f.code),
      selected: selected.has(id),
      tieAtCutoff: ties.has(id),
      domains: domainRecord(score),
      exclusions,
      holdingBack: !ranked && f.emrStatus !== 'live' ? weakestDomains(model, score) : [],
      completeness: score.completeness,
      selectionProbability: null,
      robustness: null,
    }
  })
  // The engine's order: its ranked list as it is, then everyone else by code and id.
  const byId = new Map(rows.map((r) => [String(r.facilityId), r]))
  const ranked = ranking.ranked.flatMap((r) => {
    const row = byId.get(r.facilityId)
    return row ? [row] : []
  })
  const rest = rows
    .filter((r) => r.rank === null)
    .sort((a, b) => compareStrings(a.code, b.code) || a.facilityId - b.facilityId)
  return [...ranked, ...rest]
}
