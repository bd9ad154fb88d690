import type { LocalizedText } from '../../scoring/model-schema.ts'
import type { Locale } from '../i18n.ts'

/** The model's `{ vi, en }` text in the user's language. */
export function localized(text: LocalizedText, locale: Locale): string {
  return locale === 'en' ? text.en : text.vi
}
