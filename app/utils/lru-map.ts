import { approximateBytes } from './approximate-size.ts'

/** A cache's bounds: entries, and optionally bytes as `approximateBytes` counts them. */
export interface LruBounds {
  /** At most this many entries. */
  entries: number
  /**
   * At most about this many bytes of values together. The newest entry is
   * kept even alone above it: a cache that cannot hold the one value asked
   * for would only make every request pay for building it.
   */
  bytes?: number
}

/**
 * A Map that keeps only its most recently used entries, within a count and
 * (when `bytes` is given) a size: reading an entry makes it the newest,
 * adding one drops the oldest until both bounds hold. For values shared
 * between requests (they must never be mutated: a value is sized once, when
 * it is added).
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>()
  private totalBytes = 0
  private readonly bounds: LruBounds

  constructor(bounds: number | LruBounds) {
    this.bounds = typeof bounds === 'number' ? { entries: bounds } : bounds
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key)
    if (entry === undefined) return undefined
    // Map keeps insertion order: re-inserting moves the key to the end (newest).
    this.map.delete(key)
    this.map.set(key, entry)
    return entry.value
  }

  set(key: K, value: V): void {
    this.delete(key)
    const bytes = this.bounds.bytes === undefined ? 0 : approximateBytes(value)
    this.map.set(key, { value, bytes })
    this.totalBytes += bytes
    const maxBytes = this.bounds.bytes ?? Infinity
    for (const [oldest, entry] of this.map) {
      if (this.map.size <= this.bounds.entries && this.totalBytes <= maxBytes) break
      if (this.map.size === 1) break
      this.map.delete(oldest)
      this.totalBytes -= entry.bytes
    }
  }

  delete(key: K): void {
    const entry = this.map.get(key)
    if (entry === undefined) return
    this.map.delete(key)
    this.totalBytes -= entry.bytes
  }

  clear(): void {
    this.map.clear()
    this.totalBytes = 0
  }

  get size(): number {
    return this.map.size
  }

  /** The values' approximate bytes together (0 when the cache is bounded by count alone). */
  get bytes(): number {
    return this.totalBytes
  }
}
