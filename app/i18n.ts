/**
 * UI strings through i18next. Both languages are bundled (they are small),
 * so the server and the browser build the same instance synchronously and
 * hydration never sees a half-loaded language. Vietnamese is the default.
 */
import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'

export const LOCALES = ['vi', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'vi'

type Namespace = Record<string, unknown>

/**
 * Every `locales/<lang>/<namespace>.json`, bundled. A feature adds its own
 * namespace file per language (e.g. `review.json`) and uses
 * `useTranslation('review')`; `common` is the default namespace.
 */
const files = import.meta.glob<Namespace>('./locales/*/*.json', { eager: true, import: 'default' })

function collect(): Record<Locale, Record<string, Namespace>> {
  const out: Record<Locale, Record<string, Namespace>> = { vi: {}, en: {} }
  for (const [path, content] of Object.entries(files)) {
    const match = /\.\/locales\/(vi|en)\/([\w-]+)\.json$/.exec(path)
    if (!match) continue
    const [, lang, ns] = match
    if (isLocale(lang) && ns) out[lang][ns] = content
  }
  return out
}

export const resources = collect()
export const namespaces = Object.keys(resources.vi)

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en'
}

const instances = new Map<Locale, i18n>()

/** One initialised instance per language, shared by every request. */
export function getI18n(locale: Locale): i18n {
  let instance = instances.get(locale)
  if (!instance) {
    instance = i18next.createInstance()
    void instance.use(initReactI18next).init({
      lng: locale,
      fallbackLng: DEFAULT_LOCALE,
      defaultNS: 'common',
      ns: namespaces,
      resources,
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    })
    instances.set(locale, instance)
  }
  return instance
}
