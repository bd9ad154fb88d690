import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { Suspense, type ReactNode } from 'react'
import { I18nextProvider, useTranslation } from 'react-i18next'
import { navLinksFor } from './components/nav-links.ts'
import {
  getI18n,
  loadNamespaces,
  missingNamespaces,
  namespacesOfHandle,
  renderLocale,
  takeNamespaceFailure,
  type Locale,
  type RouteI18n,
} from './i18n.ts'
import appCss from './styles/app.css?url'
import { getUser } from './utils/auth.server.ts'
import { isDemoDatabase } from './models/deployment.server.ts'
import { getDb } from './utils/db.server.ts'
import { getLocale } from './utils/locale.server.ts'
import { useNonce } from './utils/nonce.tsx'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appCss },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, locale] = [await getUser(request), getLocale(request)]
  return {
    locale,
    demo: await isDemoDatabase(getDb()),
    user: user && {
      displayName: user.displayName,
      role: user.role,
      facilityId: user.facilityId,
    },
  }
}

export const meta: MetaFunction = () => [{ title: 'Sẵn Sàng' }]

/** The shell's namespaces (the navigation's labels and the error pages), on every page. */
export const handle: RouteI18n = { i18n: ['common', 'assessment', 'rollout'] }

/** The namespaces the matched routes translate with, as their handles list them. */
function usePageNamespaces(): string[] {
  return [...new Set(useMatches().flatMap((match) => namespacesOfHandle(match.handle)))]
}

/**
 * Renders a route only once its namespaces are here: a client-side
 * navigation to a route with namespaces the browser has not loaded suspends
 * (Remix's navigations are transitions, so the previous page stays on
 * screen) until they are. A namespace that cannot be fetched (the network
 * dropped) shows the error page rather than raw keys; the next navigation
 * tries again.
 */
function NamespacesReady({ locale, children }: { locale: Locale; children: ReactNode }) {
  const namespaces = usePageNamespaces()
  const failure = takeNamespaceFailure(locale, namespaces)
  if (failure) throw failure
  if (missingNamespaces(locale, namespaces).length > 0) throw loadNamespaces(locale, namespaces)
  return children
}

type RootData = Awaited<ReturnType<typeof loader>>

function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation()
  const location = useLocation()
  const other: Locale = locale === 'vi' ? 'en' : 'vi'
  return (
    // A whole new page: the browser holds only the page's language, and the
    // new one arrives with the page.
    <Form method="post" action="/set-language" className="lang-switch" reloadDocument>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        name="lang"
        value={other}
        lang={other}
        aria-label={t('language.switchTo')}
      >
        {t(`language.${other}`)}
      </button>
    </Form>
  )
}

function Shell({ data, children }: { data: RootData | undefined; children: ReactNode }) {
  const { t } = useTranslation()
  const locale = renderLocale(data?.locale)
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </Link>
        <nav aria-label={t('nav.mainNav')} className="main-nav">
          {data?.user
            ? navLinksFor(data.user.role).map((link) => (
                <NavLink key={link.to} to={link.to} end={link.to === '/'}>
                  {t(link.labelKey)}
                </NavLink>
              ))
            : null}
        </nav>
        <div className="header-tools">
          <LanguageSwitch locale={locale} />
          {data?.user ? (
            <>
              <span className="who" data-testid="signed-in-user">
                {data.user.displayName} · {t(`roles.${data.user.role}`)}
              </span>
              <Form method="post" action="/logout">
                <button type="submit" className="secondary">
                  {t('nav.signOut')}
                </button>
              </Form>
            </>
          ) : null}
        </div>
      </header>
      {data?.demo ? (
        <p className="demo-banner" role="note">
          {t('app.demoBanner')}
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  const locale = renderLocale(data?.locale)
  const namespaces = usePageNamespaces()
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* The namespaces the browser loads before hydrating (entry.client.tsx). */}
        <meta name="i18n-namespaces" content={namespaces.join(' ')} />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={getI18n(locale)}>
          <Shell data={data}>{children}</Shell>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>('root')
  return (
    <Suspense fallback={null}>
      <NamespacesReady locale={renderLocale(data?.locale)}>
        <Outlet />
      </NamespacesReady>
    </Suspense>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  let title = t('errors.genericTitle')
  let body = t('errors.genericBody')
  if (isRouteErrorResponse(error) && (error.status === 403 || error.status === 404)) {
    title = t(`errors.${error.status}title`)
    body = t(`errors.${error.status}body`)
  }
  const status = isRouteErrorResponse(error) ? error.status : 500
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-status">{status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{body}</p>
      <p>
        <Link to="/">{t('errors.backHome')}</Link>
      </p>
    </section>
  )
}
