import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { DEFAULT_LOCALE, isLocale, loadLanguage } from './i18n.ts'

// The page's language (its <html lang>) first: hydration renders the same
// strings the server did. Its chunk is fetched while the route modules load.
const lang = document.documentElement.lang
void loadLanguage(isLocale(lang) ? lang : DEFAULT_LOCALE).then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    )
  })
})
