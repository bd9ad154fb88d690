/**
 * About how many bytes of heap a value holds, for bounding caches by size
 * (lru-map.ts). V8 gives no per-object size at run time, so this walks the
 * value with V8's usual layout: 8 bytes a slot, 12 + length per one-byte
 * string (twice that for two-byte), a typed array's buffer at its byte
 * length, 24 bytes of header per object or array (map, properties, elements).
 *
 * A cached value is mostly long arrays of rows of one shape (13,000
 * facilities), so an array longer than SAMPLE elements is measured at SAMPLE
 * evenly spaced elements and scaled: the walk costs the same for 130 rows as
 * for 130,000, which keeps it off the critical path of the request that fills
 * the cache. Functions count as their header (what they close over is not
 * reachable from here). An object met twice on the walked path counts once.
 */
const SLOT = 8
const HEADER = 24
const SAMPLE = 64

/** Approximate heap bytes of `value` and what it references (see the module's comment). */
export function approximateBytes(value: unknown): number {
  return walk(value, new Set())
}

function walk(value: unknown, seen: Set<object>): number {
  switch (typeof value) {
    case 'string':
      // eslint-disable-next-line no-control-regex
      return 12 + (/[^\u0000-\u00ff]/.test(value) ? 2 : 1) * value.length
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'symbol':
    case 'bigint':
      return SLOT
    case 'function':
      return HEADER + SLOT * 4
  }
  if (value === null) return SLOT
  const object = value as object
  if (seen.has(object)) return SLOT
  seen.add(object)
  if (ArrayBuffer.isView(object)) return HEADER + object.byteLength
  if (object instanceof ArrayBuffer) return HEADER + object.byteLength
  if (Array.isArray(object)) return HEADER + SLOT * object.length + sampled(object, seen)
  if (object instanceof Map) {
    const pairs: unknown[] = []
    for (const [k, v] of object) pairs.push(k, v)
    return HEADER + 2 * SLOT * pairs.length + sampled(pairs, seen)
  }
  if (object instanceof Set) {
    const items = [...object]
    return HEADER + SLOT * items.length + sampled(items, seen)
  }
  let bytes = HEADER
  for (const key of Object.keys(object)) {
    // Property names are shared by every object of a shape: a slot each, not a string each.
    bytes += SLOT + walk((object as Record<string, unknown>)[key], seen)
  }
  return bytes
}

/** The elements' own bytes: all of them, or SAMPLE evenly spaced ones scaled to the length. */
function sampled(items: readonly unknown[], seen: Set<object>): number {
  if (items.length <= SAMPLE) {
    let bytes = 0
    for (const item of items) bytes += walk(item, seen) - (isObject(item) ? 0 : SLOT)
    return bytes
  }
  let bytes = 0
  const step = items.length / SAMPLE
  for (let i = 0; i < SAMPLE; i++) {
    const item = items[Math.floor(i * step)]
    bytes += walk(item, seen) - (isObject(item) ? 0 : SLOT)
  }
  return Math.round((bytes * items.length) / SAMPLE)
}

function isObject(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'string'
}
