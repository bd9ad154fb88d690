import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getHelpContacts, helpGuideFor } from '../help/help.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

/** How many steps each guide has (their text is in common.json, help.<guide>.steps.N). */
const STEPS = { facility: 5, reviewer: 5, admin: 4 } as const
const TERMS = ['level', 'gate', 'declared', 'verifiedValue', 'verified', 'wave'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'account:self')
  const guide = helpGuideFor(user.role)
  const contacts = await getHelpContacts(getDb(), user, getLocale(request))
  return { guide, role: user.role, contacts }
}

export const handle: RouteI18n = { i18n: [] }

export default function HelpPage() {
  const { guide, role, contacts } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('help.title')}</h1>
      <p>{t('help.intro', { role: t(`roles.${role}`) })}</p>
      <section className="card" aria-labelledby="help-round">
        <h2 id="help-round">{t(`help.${guide}.title`)}</h2>
        <ol>
          {Array.from({ length: STEPS[guide] }, (_, i) => (
            <li key={i}>{t(`help.${guide}.steps.${i + 1}`)}</li>
          ))}
        </ol>
      </section>
      <section className="card" aria-labelledby="help-glossary">
        <h2 id="help-glossary">{t('help.glossary')}</h2>
        <dl className="facts">
          {TERMS.map((term) => (
            <div key={term}>
              <dt>{t(`help.terms.${term}.term`)}</dt>
              <dd>{t(`help.terms.${term}.meaning`)}</dd>
            </div>
          ))}
        </dl>
        <p>
          <Link to="/methodology">{t('help.methodology')}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="help-contact" data-testid="help-contact">
        <h2 id="help-contact">{t('help.contact')}</h2>
        <p>{t(`help.contactIntro.${contacts.kind}`, { province: contacts.province ?? '' })}</p>
        {contacts.people.length > 0 ? (
          <ul>
            {contacts.people.map((p) => (
              <li key={p.login}>
                <strong>{p.name}</strong>{' '}
                <span className="muted">{t('help.login', { login: p.login })}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('help.nobody')}</p>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:help.title')
