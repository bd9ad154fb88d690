/**
 * UI strings through i18next. The server holds both languages; the browser
 * loads only the reader's (about half the strings), once, before it hydrates
 * (entry.client.tsx), so hydration never sees a half-loaded language.
 * Vietnamese is the default.
 */
import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'

export const LOCALES = ['vi', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'vi'

type Namespace = Record<string, unknown>
type LanguageFiles = Record<string, Namespace>

/**
 * Namespaces by name from one language's files (`./vi/review.json` →
 * `review`). A feature adds its own namespace file per language (e.g.
 * `review.json`) and uses `useTranslation('review')`; `common` is the default.
 */
function namespacesOf(files: LanguageFiles): Record<string, Namespace> {
  const out: Record<string, Namespace> = {}
  for (const [path, content] of Object.entries(files)) {
    const match = /\.\/(?:vi|en)\/([\w-]+)\.json$/.exec(path)
    if (match?.[1]) out[match[1]] = content
  }
  return out
}

/**
 * The languages this process has; the server's build (and tests) bundle both.
 * Outside Vite (scripts run with tsx: benches, the registry command) there is
 * no `import.meta.env` and no glob, so nothing is loaded, and `getI18n` says so
 * if such a script ever asks for a string: those scripts build their own
 * i18next instance from the JSON files.
 */
const loaded: Partial<Record<Locale, Record<string, Namespace>>> = {}
if (import.meta.env?.SSR) {
  const both = import.meta.glob<LanguageFiles>('./locales/{vi,en}.ts', {
    eager: true,
    import: 'default',
  })
  for (const [path, files] of Object.entries(both)) {
    const lang = /(vi|en)\.ts$/.exec(path)?.[1]
    if (isLocale(lang)) loaded[lang] = namespacesOf(files)
  }
}

const loaders: Record<Locale, () => Promise<{ default: LanguageFiles }>> = {
  vi: () => import('./locales/vi.ts'),
  en: () => import('./locales/en.ts'),
}

/** Fetches a language's strings once (the browser, before hydrating). */
export async function loadLanguage(locale: Locale): Promise<void> {
  if (loaded[locale]) return
  loaded[locale] = namespacesOf((await loaders[locale]()).default)
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
