/**
 * Messages of the JSON endpoints in both languages: the browser shows the one
 * of its reader (`message[locale]`), and a queued save keeps working if the
 * reader switches language. The texts live in the locale files like every
 * other UI string.
 */
import { getI18n, type Locale } from '../i18n.ts'

export interface Bilingual {
  vi: string
  en: string
}

type Options = Record<string, unknown>

/**
 * `key` (with its namespace, e.g. `assessment:window.closed`) in Vietnamese
 * and English; `options` may depend on the language (a questionnaire text).
 */
export function bilingual(
  key: string,
  options?: Options | ((locale: Locale) => Options),
): Bilingual {
  const of = (locale: Locale) => (typeof options === 'function' ? options(locale) : options)
  return { vi: getI18n('vi').t(key, of('vi')), en: getI18n('en').t(key, of('en')) }
}
