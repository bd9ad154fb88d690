import { describe, expect, it } from 'vitest'
import {
  median,
  medianByKey,
  MIN_PEER_GROUP,
  peerMedian,
  peerMediansByKey,
} from '../../../app/utils/medians.ts'

describe('median', () => {
  it('is null for no values', () => {
    expect(median([])).toBeNull()
  })
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([7])).toBe(7)
    expect(median([9, 1, 5])).toBe(5)
    expect(median([3, 3, 1, 10, 2])).toBe(3)
  })
  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([6500, 7000])).toBe(6750)
  })
  it('sorts numerically, not as text', () => {
    expect(median([10, 9, 100])).toBe(10)
  })
  it('does not reorder its input', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })
})

describe('medianByKey', () => {
  it('takes a median per key, e.g. per domain', () => {
    expect(
      medianByKey([
        { key: 'infra', value: 5000 },
        { key: 'infra', value: 7000 },
        { key: 'infra', value: 6000 },
        { key: 'staff', value: 1000 },
        { key: 'staff', value: 2000 },
      ]),
    ).toEqual({ infra: 6000, staff: 1500 })
  })
  it('leaves out keys without rows', () => {
    expect(medianByKey([])).toEqual({})
  })
})

describe('peer medians', () => {
  it(`are shown only for groups of at least ${MIN_PEER_GROUP} facilities`, () => {
    // Two facilities: knowing one's own score and the median gives the other's.
    expect(peerMedian([6000, 7000])).toBeNull()
    expect(peerMedian([1, 2, 3, 4])).toBeNull()
    expect(peerMedian([1, 2, 3, 4, 5])).toBe(3)
  })
  it('leave out the keys of small groups', () => {
    const rows = [
      ...[1, 2, 3, 4, 5].map((value) => ({ key: 'infra', value })),
      ...[1, 2].map((value) => ({ key: 'staff', value })),
    ]
    expect(peerMediansByKey(rows)).toEqual({ infra: 3 })
  })
})
