/**
 * Ranking facilities for a wave: exclusion (completeness, required gates),
 * integer priorities, competition ranks and a documented tie-break chain.
 * A facility's priority depends only on its own score and attributes (fixed
 * goalposts), so adding or removing a facility never reorders the others.
 */
import type { ScoringModel } from './model-schema.ts'
import { priorityBp, type PriorityObjective } from './priority.ts'
import type { AssessmentScore, GateFailure } from './score.ts'

export interface RankEntry {
  facilityId: string
  /** Official facility code; the last, stable tie-breaker. */
  code: string
  score: AssessmentScore
  /** Need 0..1 (see needScore). */
  need?: number
  /** Feasibility 0..1 (see feasibilityScore). */
  feasibility?: number
  province?: string
  tier?: string
}

export interface RankOptions {
  /** The model every score was computed with (checked: mixing versions is refused). */
  model: ScoringModel
  /** Default: readiness only. */
  objective?: PriorityObjective
  /** Gates a facility must pass to be ranked. Default: the gates of the first level above R0. */
  requiredGateIds?: readonly string[]
  /** The lowest readiness level ranked (a level id of the model); default: every level. */
  minLevel?: string
}

/** The keys of the tie-break chain, all integers except the two strings. */
export interface TieBreakKeys {
  facilityId: string
  code: string
  priorityBp: number
  gateSubscoreBp: number
  needBp: number
}

export interface RankedFacility extends TieBreakKeys {
  /** Competition rank on priorityBp: 1, 2, 2, 4. */
  rank: number
  /** True when another ranked facility has the same priorityBp. */
  tied: boolean
  compositeBp: number
  levelId: string
  province: string | null
  tier: string | null
}

export type ExclusionReason =
  | { kind: 'completeness'; completeness: number; threshold: number }
  | { kind: 'gate'; gateId: string; failedBy: GateFailure | null }
  | { kind: 'level'; levelId: string; minLevel: string }

export interface ExcludedFacility {
  facilityId: string
  code: string
  reasons: ExclusionReason[]
}

export interface Ranking {
  modelId: string
  modelVersion: string
  objective: PriorityObjective
  requiredGateIds: string[]
  minLevel: string | null
  ranked: RankedFacility[]
  excluded: ExcludedFacility[]
}

/**
 * Code-unit order: locale-independent, so every server sorts the same way.
 * @example ['b', 'B', 'a'].sort(compareStrings) // ['B', 'a', 'b']
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The tie-break chain, for display order only (tied facilities share a rank):
 * 1. priorityBp, higher first;
 * 2. gateSubscoreBp (mean score on the required gates' items/domains), higher first;
 * 3. needBp, higher first;
 * 4. facility code, ascending; 5. facilityId, ascending (codes should be unique).
 *
 * @example
 * [b, a].sort(compareByTieBreak) // a first when a.priorityBp > b.priorityBp
 */
export function compareByTieBreak(a: TieBreakKeys, b: TieBreakKeys): number {
  return (
    b.priorityBp - a.priorityBp ||
    b.gateSubscoreBp - a.gateSubscoreBp ||
    b.needBp - a.needBp ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.facilityId, b.facilityId)
  )
}

/**
 * The gates a wave requires by default: those of the first level above the
 * lowest (R1 in the reference model).
 *
 * @example defaultRequiredGates(model) // ['G1']
 */
export function defaultRequiredGates(model: ScoringModel): string[] {
  return [...(model.levels[1]?.gateIds ?? [])]
}

/**
 * Mean score, in basis points, over the items or domains named by the given
 * gates: round(10000·mean(score)). 0 without gates.
 *
 * @example gateSubscoreBp(model, score, ['G1', 'G2']) // 7500
 */
export function gateSubscoreBp(
  model: ScoringModel,
  score: AssessmentScore,
  gateIds: readonly string[],
): number {
  const values: number[] = []
  for (const id of gateIds) {
    const gate = model.gates.find((g) => g.id === id)
    if (!gate) continue
    const c = gate.condition
    const value =
      c.kind === 'item'
        ? score.items.find((i) => i.id === c.itemId)?.score
        : score.domains.find((d) => d.id === c.domainId)?.score
    values.push(value ?? 0)
  }
  if (values.length === 0) return 0
  return Math.round((10000 * values.reduce((a, b) => a + b, 0)) / values.length)
}

/**
 * Assign competition ranks (1, 2, 2, 4) on priorityBp to a list already sorted
 * by `compareByTieBreak`: rank_i = rank_{i−1} on a tie, else i + 1.
 * @example competitionRanks([{ priorityBp: 9 }, { priorityBp: 7 }, { priorityBp: 7 }]) // [1, 2, 2]
 */
export function competitionRanks(sorted: readonly { priorityBp: number }[]): number[] {
  const ranks: number[] = []
  sorted.forEach((entry, i) => {
    const prev = sorted[i - 1]
    const prevRank = ranks[i - 1]
    ranks.push(
      prev !== undefined && prevRank !== undefined && prev.priorityBp === entry.priorityBp
        ? prevRank
        : i + 1,
    )
  })
  return ranks
}

/**
 * Rank facilities.
 * Excluded: completeness below the model's threshold, a required gate
 * failing (disabled gates always pass), or a level below `minLevel`, each
 * reason named.
 * Priority: see `priorityBp` (readiness → compositeBp). Ranks: competition
 * ranks on priorityBp; order within a tie by `compareByTieBreak`.
 * The result does not depend on the order of `entries`.
 *
 * @example
 * const { ranked, excluded } = rankFacilities(entries, { model })
 * ranked[0].rank // 1
 */
export function rankFacilities(entries: readonly RankEntry[], options: RankOptions): Ranking {
  const { model } = options
  const objective = options.objective ?? { kind: 'readiness' }
  const requiredGateIds = [...(options.requiredGateIds ?? defaultRequiredGates(model))]
  const minLevel = options.minLevel ?? null
  const minLevelIndex = minLevel === null ? 0 : model.levels.findIndex((l) => l.id === minLevel)
  if (minLevelIndex < 0) {
    throw new Error(`level "${minLevel}" is not in model ${model.id} ${model.version}`)
  }
  const seen = new Set<string>()
  const ranked: RankedFacility[] = []
  const excluded: ExcludedFacility[] = []
  for (const entry of entries) {
    if (seen.has(entry.facilityId))
      throw new Error(`facility "${entry.facilityId}" is listed twice`)
    seen.add(entry.facilityId)
    const { score } = entry
    if (score.modelId !== model.id || score.modelVersion !== model.version) {
      throw new Error(
        `facility "${entry.facilityId}" was scored with ${score.modelId} ${score.modelVersion}, not ${model.id} ${model.version}`,
      )
    }
    const reasons: ExclusionReason[] = []
    if (!score.meetsCompleteness) {
      reasons.push({
        kind: 'completeness',
        completeness: score.completeness,
        threshold: model.completenessThreshold,
      })
    }
    for (const gateId of requiredGateIds) {
      const gate = score.gates.find((g) => g.id === gateId)
      if (!gate) throw new Error(`required gate "${gateId}" is not in the model`)
      if (!gate.passed) reasons.push({ kind: 'gate', gateId, failedBy: gate.failedBy })
    }
    if (minLevel !== null && score.level.index < minLevelIndex) {
      reasons.push({ kind: 'level', levelId: score.level.id, minLevel })
    }
    if (reasons.length > 0) {
      excluded.push({ facilityId: entry.facilityId, code: entry.code, reasons })
      continue
    }
    ranked.push({
      facilityId: entry.facilityId,
      code: entry.code,
      priorityBp: priorityBp(objective, {
        compositeBp: score.compositeBp,
        need: entry.need,
        feasibility: entry.feasibility,
      }),
      gateSubscoreBp: gateSubscoreBp(model, score, requiredGateIds),
      needBp: Math.round(10000 * Math.min(1, Math.max(0, entry.need ?? 0))),
      rank: 0,
      tied: false,
      compositeBp: score.compositeBp,
      levelId: score.level.id,
      province: entry.province ?? null,
      tier: entry.tier ?? null,
    })
  }
  ranked.sort(compareByTieBreak)
  const ranks = competitionRanks(ranked)
  ranked.forEach((r, i) => {
    r.rank = ranks[i] ?? i + 1
    r.tied =
      ranked[i - 1]?.priorityBp === r.priorityBp || ranked[i + 1]?.priorityBp === r.priorityBp
  })
  excluded.sort(
    (a, b) => compareStrings(a.code, b.code) || compareStrings(a.facilityId, b.facilityId),
  )
  return {
    modelId: model.id,
    modelVersion: model.version,
    objective,
    requiredGateIds,
    minLevel,
    ranked,
    excluded,
  }
}
