/**
 * Medians for comparing a facility with its peers. Pure, so the compare page,
 * the result page, the printable report and the unit tests share one definition.
 */

/**
 * The median of a list: the middle value of the sorted list, or the mean of
 * the two middle values for an even count; null for an empty list.
 *
 * @example median([3, 1, 2]) // 2
 * @example median([4, 1, 3, 2]) // 2.5
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid]
  if (upper === undefined) return null
  if (sorted.length % 2 === 1) return upper
  const lower = sorted[mid - 1]
  return lower === undefined ? upper : (lower + upper) / 2
}

/**
 * Median per key over rows of `{ key, value }`, e.g. domain scores of every
 * peer facility: `{ clinical: 6500, … }`. Keys with no rows are absent.
 *
 * @example medianByKey([{ key: 'a', value: 1 }, { key: 'a', value: 3 }]) // { a: 2 }
 */
export function medianByKey(
  rows: ReadonlyArray<{ key: string; value: number }>,
): Record<string, number> {
  const groups = new Map<string, number[]>()
  for (const row of rows) {
    const list = groups.get(row.key)
    if (list) list.push(row.value)
    else groups.set(row.key, [row.value])
  }
  const out: Record<string, number> = {}
  for (const [key, values] of groups) {
    const m = median(values)
    if (m !== null) out[key] = m
  }
  return out
}

/**
 * The smallest peer group whose median is shown. With two facilities in a
 * group, a director who knows their own score computes the other's from the
 * median; with five, the median is one of the others' values with no way to
 * tell whose.
 */
export const MIN_PEER_GROUP = 5

/**
 * A peer group's median: the median of one value per facility, or null when
 * fewer than MIN_PEER_GROUP facilities have a value.
 *
 * @example peerMedian([60, 70]) // null
 * @example peerMedian([60, 70, 65, 80, 50]) // 65
 */
export function peerMedian(values: readonly number[]): number | null {
  return values.length < MIN_PEER_GROUP ? null : median(values)
}

/**
 * `medianByKey` for a peer group (one row per facility and key): keys with
 * fewer than MIN_PEER_GROUP rows are absent, like keys without rows.
 *
 * @example peerMediansByKey([{ key: 'a', value: 1 }, { key: 'a', value: 3 }]) // {}
 */
export function peerMediansByKey(
  rows: ReadonlyArray<{ key: string; value: number }>,
): Record<string, number> {
  const counts = new Map<string, number>()
  for (const row of rows) counts.set(row.key, (counts.get(row.key) ?? 0) + 1)
  return medianByKey(rows.filter((row) => (counts.get(row.key) ?? 0) >= MIN_PEER_GROUP))
}
