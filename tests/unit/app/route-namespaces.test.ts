/**
 * The browser loads only the namespaces that the matched routes' handles list
 * (app/i18n.ts): a route whose code translates with a namespace its handle
 * forgets would show raw keys after a client-side navigation. This test reads
 * every page route's module graph (its relative imports, lazy ones included,
 * and the server modules beside it, since keys also arrive in loader data) and
 * checks that each namespace used there is in the route's handle or the root's.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')
const LOCALES = join(ROOT, 'app/locales/vi')
const NAMESPACES = readdirSync(LOCALES).map((f) => f.replace(/\.json$/, ''))
const STRINGS: Record<string, unknown> = Object.fromEntries(
  NAMESPACES.map((ns) => [ns, JSON.parse(readFileSync(join(LOCALES, `${ns}.json`), 'utf8'))]),
)

/** Whether `path` (`a.b`, or a prefix `a.` of a built key) is in the namespace's strings. */
function hasKey(ns: string, path: string): boolean {
  let node: unknown = STRINGS[ns]
  const parts = path.split('.')
  for (const [i, part] of parts.entries()) {
    if (part === '' && i === parts.length - 1) return typeof node === 'object'
    if (typeof node !== 'object' || node === null || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return true
}

const alternatives = NAMESPACES.join('|')
/** `t('waves:title')`, `labelKey: 'review:nav.x'`, `` t(`results:gate.${id}`) ``: a key with its namespace. */
const PREFIXED_KEY = new RegExp(`['"\`](${alternatives}):([\\w.]*)`, 'g')
const NS_OPTION = new RegExp(`\\bns:\\s*'(${alternatives})'`, 'g')
const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g

/** The namespaces one source file translates with (its own text, no imports). */
export function namespacesInSource(src: string): Set<string> {
  const out = new Set<string>()
  if (/useTranslation\(\s*\)/.test(src)) out.add('common')
  for (const m of src.matchAll(/useTranslation\(\s*\[?([^)\]]*)/g))
    for (const q of (m[1] ?? '').matchAll(/'([\w-]+)'/g)) if (q[1]) out.add(q[1])
  for (const m of src.matchAll(PREFIXED_KEY)) if (m[1] && hasKey(m[1], m[2] ?? '')) out.add(m[1])
  for (const m of src.matchAll(NS_OPTION)) if (m[1]) out.add(m[1])
  return out
}

function resolveImport(from: string, spec: string): string | null {
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) {
    const path = resolve(dirname(from), spec + ext)
    if (existsSync(path) && statSync(path).isFile() && /\.tsx?$/.test(path)) return path
  }
  return null
}

/** The namespaces a module and everything it imports (relatively) translate with. */
function namespacesOfGraph(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>()
  const walk = (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    const src = readFileSync(path, 'utf8')
    for (const ns of namespacesInSource(src)) out.add(ns)
    for (const m of src.matchAll(IMPORT)) {
      const next = m[1] && resolveImport(path, m[1])
      if (next) walk(next)
    }
  }
  walk(file)
  return out
}

/** A route's handle, as written: `export const handle: RouteI18n = { i18n: ['a', 'b'] }`. */
function declared(src: string): string[] | null {
  const m = /export const handle: RouteI18n = \{\s*i18n: \[([^\]]*)\]/.exec(src)
  return m ? [...(m[1] ?? '').matchAll(/'([\w-]+)'/g)].flatMap((q) => (q[1] ? [q[1]] : [])) : null
}

const ROUTES = join(ROOT, 'app/routes')
const pages = readdirSync(ROUTES)
  .map((f) => join(ROUTES, f))
  .filter((path) => /^export default function/m.test(readFileSync(path, 'utf8')))
const rootSource = readFileSync(join(ROOT, 'app/root.tsx'), 'utf8')
const rootNamespaces = declared(rootSource) ?? []

describe('route namespaces', () => {
  it('the root lists what its shell uses, and only namespaces that exist', () => {
    expect(rootNamespaces).toContain('common')
    const used = [...namespacesOfGraph(join(ROOT, 'app/root.tsx'))]
    expect(used.filter((ns) => !rootNamespaces.includes(ns))).toEqual([])
    expect(rootNamespaces.filter((ns) => !NAMESPACES.includes(ns))).toEqual([])
  })

  it('finds namespaces in source text, and ignores names that are not keys', () => {
    expect([...namespacesInSource("const { t } = useTranslation('waves')")]).toEqual(['waves'])
    expect([...namespacesInSource('const { t } = useTranslation()')]).toEqual(['common'])
    expect([...namespacesInSource("can(user, 'waves:plan')")]).toEqual([])
    expect([...namespacesInSource("t('common:nav.home')")]).toEqual(['common'])
  })

  it.each(pages.map((p) => [p.slice(ROUTES.length + 1), p]))(
    '%s lists every namespace its code uses',
    (_, path) => {
      const own = declared(readFileSync(path, 'utf8'))
      expect(own, 'export const handle: RouteI18n = { i18n: [...] }').not.toBeNull()
      const have = new Set([...rootNamespaces, ...(own ?? [])])
      const used = [...namespacesOfGraph(path)]
      expect(used.filter((ns) => !have.has(ns))).toEqual([])
      expect((own ?? []).filter((ns) => !NAMESPACES.includes(ns))).toEqual([])
    },
  )
})
