/**
 * UI strings through i18next. The server holds both languages whole; the
 * browser holds only the reader's language, and of it only the namespaces
 * of the routes it has shown: each route module lists the namespaces its
 * code uses in its `handle` (`{ i18n: ['waves'] }`, checked by
 * tests/unit/app/route-namespaces.test.ts). The page's namespaces are
 * loaded before it hydrates (entry.client.tsx), and a client-side
 * navigation waits for the next route's namespaces before it renders
 * (NamespacesReady in root.tsx), so no page shows a raw key.
 * Vietnamese is the default.
 */
import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'

export const LOCALES = ['vi', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'vi'

type Namespace = Record<string, unknown>

/** A route module's `handle`: the namespaces its components translate with. */
export interface RouteI18n {
  i18n: readonly string[]
}

/** The namespaces a route handle lists (none for a handle without `i18n`). */
export function namespacesOfHandle(handle: unknown): readonly string[] {
  if (typeof handle !== 'object' || handle === null || !('i18n' in handle)) return []
  const list = (handle as { i18n: unknown }).i18n
  return Array.isArray(list) ? list.filter((ns): ns is string => typeof ns === 'string') : []
}

/** `./locales/vi/review.json` → ['vi', 'review']. */
function fileOf(path: string): [Locale, string] | null {
  const match = /\.\/locales\/(vi|en)\/([\w-]+)\.json$/.exec(path)
  return match && isLocale(match[1]) && match[2] ? [match[1], match[2]] : null
}

/**
 * The strings this process has, by language and namespace. The server's
 * build (and tests) bundle every file. Outside Vite (scripts run with tsx:
 * benches, the registry command) there is no `import.meta.env` and no glob,
 * so nothing is loaded, and `getI18n` says so if such a script ever asks for
 * a string: those scripts build their own i18next instance from the JSON files.
 */
const loaded: Partial<Record<Locale, Record<string, Namespace>>> = {}
if (import.meta.env?.SSR) {
  const files = import.meta.glob<Namespace>('./locales/{vi,en}/*.json', {
    eager: true,
    import: 'default',
  })
  for (const [path, strings] of Object.entries(files)) {
    const file = fileOf(path)
    if (file) (loaded[file[0]] ??= {})[file[1]] = strings
  }
}

/** The browser's loaders, one chunk per language and namespace. */
const loaders = new Map<string, () => Promise<Namespace>>(
  Object.entries(
    import.meta.env?.SSR
      ? {}
      : import.meta.glob<Namespace>('./locales/{vi,en}/*.json', { import: 'default' }),
  ).flatMap(([path, load]) => {
    const file = fileOf(path)
    return file ? [[file.join(':'), load] as const] : []
  }),
)

/** The namespaces of `locale` among `namespaces` that this process does not hold yet. */
export function missingNamespaces(locale: Locale, namespaces: Iterable<string>): string[] {
  const have = loaded[locale] ?? {}
  return [...new Set(namespaces)].filter((ns) => !(ns in have))
}

const pending = new Map<string, Promise<void>>()
const failures = new Map<string, unknown>()

/**
 * Why a namespace among these could not be fetched, once: the caller shows
 * the error, and the next attempt fetches again.
 */
export function takeNamespaceFailure(locale: Locale, namespaces: Iterable<string>): unknown {
  for (const ns of namespaces) {
    const id = `${locale}:${ns}`
    if (failures.has(id)) {
      const error = failures.get(id)
      failures.delete(id)
      return error ?? new Error(`the ${id} strings could not be fetched`)
    }
  }
  return null
}

/**
 * Fetches namespaces of one language once each (the browser: before
 * hydrating, and before a navigation renders the next route). Resolves when
 * all are in this process's strings and in its i18next instance.
 */
export function loadNamespaces(locale: Locale, namespaces: Iterable<string>): Promise<void> {
  return Promise.all(
    missingNamespaces(locale, namespaces).map((ns) => {
      const id = `${locale}:${ns}`
      let loading = pending.get(id)
      if (!loading) {
        const load = loaders.get(id)
        // A handle naming a namespace with no file is a bug the route test catches.
        if (!load) throw new Error(`no ${id} strings`)
        loading = load().then(
          (strings) => {
            ;(loaded[locale] ??= {})[ns] = strings
            instances.get(locale)?.addResourceBundle(locale, ns, strings)
          },
          (error: unknown) => {
            // A failed fetch (the network dropped) may be tried again by the next navigation.
            pending.delete(id)
            failures.set(id, error)
          },
        )
        pending.set(id, loading)
      }
      return loading
    }),
  ).then(() => undefined)
}

/** Both languages' strings: the server's (tests check the two have the same keys). */
export function serverResources(): Record<Locale, Record<string, Namespace>> {
  const { vi, en } = loaded
  if (!vi || !en) throw new Error('both languages are bundled only in the server build')
  return { vi, en }
}

/**
 * The language to render in: the wanted one when this process holds it,
 * otherwise one it holds (a browser has only its page's language, and an
 * error page may not know which was wanted).
 */
export function renderLocale(wanted: Locale | undefined): Locale {
  if (wanted && loaded[wanted]) return wanted
  if (loaded[DEFAULT_LOCALE]) return DEFAULT_LOCALE
  return LOCALES.find((l) => loaded[l]) ?? DEFAULT_LOCALE
}

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en'
}

const instances = new Map<Locale, i18n>()

/** One initialised instance per language, shared by every request. */
export function getI18n(locale: Locale): i18n {
  let instance = instances.get(locale)
  if (!instance) {
    const strings = loaded[locale]
    // A page renders only after its language is loaded; a missing one is a bug.
    if (!strings) throw new Error(`the ${locale} strings are not loaded`)
    instance = i18next.createInstance()
    void instance.use(initReactI18next).init({
      lng: locale,
      // Both languages have every key (a unit test checks), so no fallback
      // language is needed: the browser holds only one.
      fallbackLng: false,
      defaultNS: 'common',
      ns: Object.keys(strings),
      resources: { [locale]: strings },
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    })
    instances.set(locale, instance)
  }
  return instance
}
