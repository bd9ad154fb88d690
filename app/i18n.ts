/**
 * UI strings through i18next. Both languages are bundled (they are small),
 * so the server and the browser build the same instance synchronously and
 * hydration never sees a half-loaded language. Vietnamese is the default.
 */
import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './locales/en.json' with { type: 'json' }
import vi from './locales/vi.json' with { type: 'json' }

export const LOCALES = ['vi', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'vi'

export const resources = { vi: { common: vi }, en: { common: en } } as const

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
      ns: ['common'],
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
