/**
 * A small JSON Schema (draft 2020-12) validator for the contract test: the
 * keywords zod's JSON Schema output uses, local `$ref`s into one document.
 * A keyword it does not know is an error, never silently passed, so a
 * schema it cannot check fails the test instead of passing it.
 */

export type Schema = boolean | { [keyword: string]: unknown }

/** Pure: is this a schema at all (a boolean or an object)? */
export function isSchema(value: unknown): value is Schema {
  return (
    typeof value === 'boolean' ||
    (typeof value === 'object' && value !== null && !Array.isArray(value))
  )
}

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
])

const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'anyOf',
  'oneOf',
  'allOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
])

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value)
  return expected === actual || (expected === 'number' && actual === 'integer')
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
}

/** Every place `value` breaks `schema` (empty when it fits); `root` resolves `#/…` refs. */
export function validate(schema: Schema, value: unknown, root: unknown, path = '$'): string[] {
  if (schema === true) return []
  if (schema === false) return [`${path}: no value is allowed`]
  const errors: string[] = []
  const fail = (message: string) => errors.push(`${path}: ${message}`)
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) fail(`unsupported keyword ${keyword}`)
  }
  if (typeof schema.$ref === 'string') {
    const target = resolve(root, schema.$ref)
    if (target === undefined) fail(`unresolved $ref ${schema.$ref}`)
    else errors.push(...validate(target as Schema, value, root, path))
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    if (!types.some((t) => typeMatches(String(t), value)))
      fail(`expected ${types.join('|')}, got ${typeOf(value)}`)
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => equal(e, value)))
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  if ('const' in schema && !equal(schema.const, value))
    fail(`expected ${JSON.stringify(schema.const)}`)
  for (const [keyword, sub] of [
    ['anyOf', 'any'],
    ['oneOf', 'one'],
  ] as const) {
    const list = schema[keyword]
    if (!Array.isArray(list)) continue
    const fits = list.filter((s) => validate(s as Schema, value, root, path).length === 0).length
    if (sub === 'any' ? fits === 0 : fits !== 1) fail(`fits ${fits} of ${keyword}`)
  }
  if (Array.isArray(schema.allOf))
    for (const s of schema.allOf) errors.push(...validate(s as Schema, value, root, path))
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      fail(`below ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      fail(`above ${schema.maximum}`)
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      fail(`not above ${schema.exclusiveMinimum}`)
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      fail(`not below ${schema.exclusiveMaximum}`)
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (typeof schema.minLength === 'number' && length < schema.minLength) fail('too short')
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) fail('too long')
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      fail(`does not match ${schema.pattern}`)
    if (typeof schema.format === 'string') {
      const format = FORMATS[schema.format]
      if (!format) fail(`unsupported format ${schema.format}`)
      else if (!format.test(value)) fail(`not a ${schema.format}`)
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('too few items')
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail('too many items')
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : []
    value.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i] : schema.items
      if (sub !== undefined) errors.push(...validate(sub as Schema, item, root, `${path}[${i}]`))
    })
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    if (Array.isArray(schema.required))
      for (const key of schema.required)
        if (!(String(key) in object)) fail(`missing required ${String(key)}`)
    for (const [key, item] of Object.entries(object)) {
      const sub = properties[key]
      if (sub !== undefined) errors.push(...validate(sub, item, root, `${path}.${key}`))
      else if (schema.additionalProperties !== undefined)
        errors.push(
          ...validate(schema.additionalProperties as Schema, item, root, `${path}.${key}`),
        )
      if (schema.propertyNames !== undefined)
        errors.push(...validate(schema.propertyNames as Schema, key, root, `${path}.${key} (name)`))
    }
  }
  return errors
}

function resolve(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = root
  for (const part of ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}
