/**
 * Comparing two scoring models on the same answers: what changes for each
 * facility and for the ranking when a round is scored under a new version.
 * Pure: the caller scores each facility under both models (scoreAssessment)
 * and, for the wave, runs the selection twice; this file only compares.
 *
 * Definitions (n facilities, each with an old and a new result):
 * - rank_m(f) = 1 + #{g : compositeBp_m(g) > compositeBp_m(f)} (competition
 *   ranks by composite, 1 = highest; equal composites share a rank);
 * - rankChange(f) = rank_old(f) − rank_new(f) (positive: moved up);
 * - Δcomposite(f) = compositeBp_new(f) − compositeBp_old(f), in basis points;
 * - a level change is level_new.id ≠ level_old.id; "up" when the new level's
 *   index in its model is higher, "down" when lower;
 * - τ_b = Kendall's tau-b of (compositeBp_old, compositeBp_new) over the n
 *   facilities (ties handled; null when n < 2 or a side is constant), the one
 *   implementation in robustness.ts;
 * - movers: the `moversLimit` facilities with the largest |rankChange|, then
 *   the largest |Δcomposite|, then code;
 * - wave: entering = selected_new \ selected_old, leaving = selected_old \
 *   selected_new (each in the order of its own selection).
 */
import { kendallTauB } from './robustness.ts'

/** The part of an engine result the comparison reads. */
export interface ComparedScore {
  compositeBp: number
  level: { id: string; index: number }
}

export interface CompareFacility {
  facilityId: string
  code: string
  old: ComparedScore
  new: ComparedScore
}

export interface FacilityComparison extends CompareFacility {
  oldRank: number
  newRank: number
  /** oldRank − newRank: positive moved up. */
  rankChange: number
  /** New − old composite, basis points. */
  compositeChangeBp: number
  levelChange: 'up' | 'down' | 'same'
}

export interface LevelTransition {
  from: string
  to: string
  count: number
}

export interface ModelComparison {
  facilities: FacilityComparison[]
  levels: {
    changed: number
    up: number
    down: number
    /** Every (old level → new level) pair that occurs, with its count, in level order. */
    transitions: LevelTransition[]
  }
  kendallTauB: number | null
  /** Mean of |Δcomposite| in basis points (0 when n = 0). */
  meanAbsCompositeChangeBp: number
  movers: FacilityComparison[]
  wave: { entering: string[]; leaving: string[]; oldSize: number; newSize: number } | null
}

/**
 * Competition ranks by composite, highest first: rank = 1 + how many are strictly higher.
 * @example competitionRanksByComposite([7000, 8000, 7000]) // [2, 1, 2]
 */
export function competitionRanksByComposite(composites: readonly number[]): number[] {
  const sorted = [...composites].sort((a, b) => b - a)
  // First position of each value in the descending order = count strictly higher.
  const first = new Map<number, number>()
  sorted.forEach((v, i) => {
    if (!first.has(v)) first.set(v, i)
  })
  return composites.map((v) => (first.get(v) ?? 0) + 1)
}

/**
 * Compare the two results of each facility (see the file header for every formula).
 *
 * @example
 * const c = compareModels({
 *   facilities: [
 *     { facilityId: '1', code: 'A', old: { compositeBp: 8000, level: { id: 'R3', index: 3 } },
 *       new: { compositeBp: 6000, level: { id: 'R2', index: 2 } } },
 *     { facilityId: '2', code: 'B', old: { compositeBp: 7000, level: { id: 'R2', index: 2 } },
 *       new: { compositeBp: 7500, level: { id: 'R2', index: 2 } } },
 *   ],
 *   moversLimit: 10,
 * })
 * c.levels.down // 1
 * c.kendallTauB // -1
 */
export function compareModels(input: {
  facilities: readonly CompareFacility[]
  moversLimit: number
  /** The facility ids a default wave selects under each model, when it was run. */
  wave?: { old: readonly string[]; new: readonly string[] }
}): ModelComparison {
  const list = input.facilities
  const oldRanks = competitionRanksByComposite(list.map((f) => f.old.compositeBp))
  const newRanks = competitionRanksByComposite(list.map((f) => f.new.compositeBp))
  let up = 0
  let down = 0
  let absSum = 0
  const transitions = new Map<string, LevelTransition & { fromIndex: number; toIndex: number }>()
  const facilities = list.map((f, i): FacilityComparison => {
    const oldRank = oldRanks[i] ?? 0
    const newRank = newRanks[i] ?? 0
    const levelChange =
      f.new.level.id === f.old.level.id
        ? 'same'
        : f.new.level.index > f.old.level.index
          ? 'up'
          : f.new.level.index < f.old.level.index
            ? 'down'
            : // Same position under another name: a change, in neither direction.
              'same'
    if (levelChange === 'up') up++
    if (levelChange === 'down') down++
    const key = `${f.old.level.id}\u0000${f.new.level.id}`
    const t = transitions.get(key) ?? {
      from: f.old.level.id,
      to: f.new.level.id,
      count: 0,
      fromIndex: f.old.level.index,
      toIndex: f.new.level.index,
    }
    t.count++
    transitions.set(key, t)
    const compositeChangeBp = f.new.compositeBp - f.old.compositeBp
    absSum += Math.abs(compositeChangeBp)
    return { ...f, oldRank, newRank, rankChange: oldRank - newRank, compositeChangeBp, levelChange }
  })
  const changed = facilities.filter((f) => f.new.level.id !== f.old.level.id).length
  const movers = [...facilities]
    .sort(
      (a, b) =>
        Math.abs(b.rankChange) - Math.abs(a.rankChange) ||
        Math.abs(b.compositeChangeBp) - Math.abs(a.compositeChangeBp) ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    )
    .slice(0, Math.max(0, input.moversLimit))
  let wave: ModelComparison['wave'] = null
  if (input.wave) {
    const oldSet = new Set(input.wave.old)
    const newSet = new Set(input.wave.new)
    wave = {
      entering: input.wave.new.filter((id) => !oldSet.has(id)),
      leaving: input.wave.old.filter((id) => !newSet.has(id)),
      oldSize: oldSet.size,
      newSize: newSet.size,
    }
  }
  return {
    facilities,
    levels: {
      changed,
      up,
      down,
      transitions: [...transitions.values()]
        .sort((a, b) => a.fromIndex - b.fromIndex || a.toIndex - b.toIndex)
        .map(({ from, to, count }) => ({ from, to, count })),
    },
    kendallTauB: kendallTauB(
      facilities.map((f) => f.old.compositeBp),
      facilities.map((f) => f.new.compositeBp),
    ),
    meanAbsCompositeChangeBp: list.length === 0 ? 0 : absSum / list.length,
    movers,
    wave,
  }
}
