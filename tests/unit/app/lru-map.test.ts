import { describe, expect, it } from 'vitest'
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
