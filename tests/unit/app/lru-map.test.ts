import { describe, expect, it } from 'vitest'
import { approximateBytes } from '../../../app/utils/approximate-size.ts'
import { MIB } from '../../../app/utils/bytes.ts'
import { LruMap } from '../../../app/utils/lru-map.ts'

describe('LruMap', () => {
  it('drops the least recently used entry past its limit', () => {
    const map = new LruMap<string, number>(2)
    map.set('a', 1)
    map.set('b', 2)
    expect(map.get('a')).toBe(1) // "a" is now the newest
    map.set('c', 3)
    expect(map.get('b')).toBeUndefined()
    expect(map.get('a')).toBe(1)
    expect(map.get('c')).toBe(3)
    expect(map.size).toBe(2)
  })

  it('replaces a value set again without growing', () => {
    const map = new LruMap<string, number>(2)
    map.set('a', 1)
    map.set('a', 2)
    map.set('b', 3)
    expect(map.get('a')).toBe(2)
    expect(map.size).toBe(2)
  })
})

/** `n` rows of one shape, as caches hold them. */
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}` }))

describe('LruMap bounded by bytes', () => {
  it('drops the oldest entries until the values fit, whatever the count allows', () => {
    const one = approximateBytes(rows(1000))
    const map = new LruMap<string, unknown>({ entries: 10, bytes: 2.5 * one })
    map.set('a', rows(1000))
    map.set('b', rows(1000))
    expect(map.get('a')).toBeDefined() // "a" is now the newest
    map.set('c', rows(1000))
    expect(map.get('b')).toBeUndefined()
    expect(map.size).toBe(2)
    expect(map.bytes).toBeLessThanOrEqual(2.5 * one)
  })

  it('keeps the newest value even when it alone is over the bound', () => {
    const map = new LruMap<string, unknown>({ entries: 10, bytes: 100 })
    map.set('small', rows(1))
    map.set('big', rows(1000))
    expect(map.get('small')).toBeUndefined()
    expect(map.get('big')).toBeDefined()
    expect(map.size).toBe(1)
  })

  it('counts what a replaced or deleted value held no more', () => {
    const map = new LruMap<string, unknown>({ entries: 10, bytes: 10 * MIB })
    map.set('a', rows(1000))
    const held = map.bytes
    map.set('a', rows(10))
    expect(map.bytes).toBeLessThan(held / 10)
    map.delete('a')
    expect(map.bytes).toBe(0)
  })
})

describe('approximateBytes', () => {
  it('grows with the data: strings by length, arrays by their rows, typed arrays by their buffer', () => {
    expect(approximateBytes('x'.repeat(1000))).toBeGreaterThan(
      approximateBytes('x'.repeat(10)) + 900,
    )
    // Two-byte strings (Vietnamese) take twice the room.
    expect(approximateBytes('ệ'.repeat(1000))).toBeGreaterThan(1900)
    expect(approximateBytes(new Float64Array(1000))).toBeGreaterThanOrEqual(8000)
    expect(approximateBytes([1, 2, 3])).toBeLessThan(
      approximateBytes([{ a: 1 }, { a: 2 }, { a: 3 }]),
    )
    const map = new Map(rows(100).map((r) => [r.id, r]))
    expect(approximateBytes(map)).toBeGreaterThan(approximateBytes(rows(50)))
  })

  it('scales a sample of a long array of rows of one shape to within a few per cent of the whole', () => {
    const long = rows(50_000)
    const perRow = approximateBytes(rows(64)) / 64
    const estimate = approximateBytes(long)
    expect(estimate / (perRow * 50_000)).toBeGreaterThan(0.95)
    expect(estimate / (perRow * 50_000)).toBeLessThan(1.1)
  })

  it('counts an object met twice once, and survives a cycle', () => {
    const shared = { text: 'y'.repeat(10_000) }
    const twice = approximateBytes([shared, shared])
    expect(twice).toBeLessThan(approximateBytes(shared) + 200)
    const cyclic: Record<string, unknown> = { name: 'a' }
    cyclic.self = cyclic
    expect(approximateBytes(cyclic)).toBeGreaterThan(0)
  })
})
