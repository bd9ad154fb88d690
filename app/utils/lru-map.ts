/**
 * A Map that keeps only its `limit` most recently used entries: reading an
 * entry makes it the newest, adding one past the limit drops the oldest.
 * For values shared between requests (they must never be mutated).
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>()

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting moves the key to the end (newest).
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }

  set(key: K, value: V): void {
    this.map.delete(key)
    this.map.set(key, value)
    for (const oldest of this.map.keys()) {
      if (this.map.size <= this.limit) break
      this.map.delete(oldest)
    }
  }

  delete(key: K): void {
    this.map.delete(key)
  }

  clear(): void {
    this.map.clear()
  }

  get size(): number {
    return this.map.size
  }
}
