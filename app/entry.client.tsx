import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { DEFAULT_LOCALE, getI18n, isLocale, loadNamespaces } from './i18n.ts'
import { installControlCharacterGuard } from './utils/control-character-guard.client.ts'

// The page's language (its <html lang>) and the namespaces its routes use
// (root.tsx lists them in the head) first: hydration renders the same strings
// the server did. One small chunk per namespace, fetched as this module runs.
const lang = document.documentElement.lang
const locale = isLocale(lang) ? lang : DEFAULT_LOCALE
const namespaces =
  document.querySelector<HTMLMetaElement>('meta[name="i18n-namespaces"]')?.content.split(' ') ?? []
void loadNamespaces(locale, ['common', ...namespaces.filter(Boolean)]).then(() => {
  // In the language the page shows when the form is sent (it may have been switched since).
  installControlCharacterGuard((field, character) => {
    const shown = document.documentElement.lang
    return getI18n(isLocale(shown) ? shown : locale).t('common:requestBody.controlCharacter', {
      field,
      character,
    })
  })
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    )
  })
})
