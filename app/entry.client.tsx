import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { DEFAULT_LOCALE, getI18n, isLocale, loadLanguage } from './i18n.ts'
import { installControlCharacterGuard } from './utils/control-character-guard.client.ts'

// The page's language (its <html lang>) first: hydration renders the same
// strings the server did. Its chunk is fetched while the route modules load.
const lang = document.documentElement.lang
const locale = isLocale(lang) ? lang : DEFAULT_LOCALE
void loadLanguage(locale).then(() => {
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
