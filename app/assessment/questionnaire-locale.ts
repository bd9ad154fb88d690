/**
 * The questionnaire as the browser needs it: one language. Its localisable
 * strings are SurveyJS objects `{ default: 'vi', en: 'en' }`; the form page
 * sends each as the reader's plain string, which SurveyJS shows in any
 * locale. The questionnaire is most of the form page's data, and the other
 * language is almost half of it: at 400 kbit/s every kilobyte is 20 ms.
 */
import type { Locale } from '../i18n.ts'

function isLocalizedString(value: object): value is { default: string; en?: string } {
  const keys = Object.keys(value)
  return (
    keys.includes('default') &&
    keys.every((k) => k === 'default' || k === 'en') &&
    Object.values(value).every((v) => typeof v === 'string')
  )
}

function pick(value: unknown, locale: Locale): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, locale))
  if (value === null || typeof value !== 'object') return value
  if (isLocalizedString(value)) return locale === 'en' ? (value.en ?? value.default) : value.default
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) out[key] = pick(v, locale)
  return out
}

const cache = new WeakMap<object, Map<Locale, Record<string, unknown>>>()

/**
 * @example questionnaireInLanguage({ title: { default: 'Tiêu đề', en: 'Title' } }, 'en')
 * // { title: 'Title' }
 */
export function questionnaireInLanguage(
  questionnaire: Record<string, unknown>,
  locale: Locale,
): Record<string, unknown> {
  let byLocale = cache.get(questionnaire)
  if (!byLocale) cache.set(questionnaire, (byLocale = new Map()))
  let picked = byLocale.get(locale)
  if (!picked)
    byLocale.set(locale, (picked = pick(questionnaire, locale) as Record<string, unknown>))
  return picked
}
