/**
 * A page's `<title>` in the reader's language: `meta` runs outside React, so
 * it reads the language from the root loader's data and translates with the
 * same bundled i18next instance the page renders with.
 */
import type { MetaDescriptor } from '@remix-run/node'
import { getI18n, isLocale, renderLocale } from '../i18n.ts'

export function pageTitle(
  matches: ReadonlyArray<{ id: string; data: unknown }>,
  key: string,
  /** What names this page's subject (a facility's code), before the title. */
  subject?: string,
): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data
  const locale = renderLocale(
    root && typeof root === 'object' && 'locale' in root && isLocale(root.locale)
      ? root.locale
      : undefined,
  )
  const t = getI18n(locale).t
  const title = subject ? `${subject} · ${t(key)}` : t(key)
  return [{ title: `${title} · ${t('common:app.name')}` }]
}
