/** The user's language: the `lang` cookie, else Vietnamese. */
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n.ts'
import { readCookie } from './session.server.ts'

export const LANG_COOKIE = 'sansang_lang'

export function getLocale(request: Request): Locale {
  const value = readCookie(request, LANG_COOKIE)
  return isLocale(value) ? value : DEFAULT_LOCALE
}

export function serializeLangCookie(locale: Locale): string {
  return `${LANG_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`
}
