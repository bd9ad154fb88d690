import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getAccountPage, signOutOtherSessions } from '../account/page.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const AccountActionSchema = z.object({ intent: z.literal('sign-out-others') })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'account:self')
  return getAccountPage(getDb(), user)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'account:self')
  const form = await request.formData().catch(() => null)
  const parsed = AccountActionSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) return data({ ended: null }, { status: 400 })
  const ended = await signOutOtherSessions(getDb(), user, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  return { ended }
}

export const handle: RouteI18n = { i18n: ['account'] }

export default function AccountPage() {
  const { profile, twoFactor, sessions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation('account')
  const { t: tc } = useTranslation()
  const { dateTime } = useDateFormat()
  const others = sessions.filter((s) => !s.current).length
  return (
    <>
      <h1>{t('page.title')}</h1>
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t('page.profile')}</h2>
        <dl className="facts">
          <dt>{t('page.displayName')}</dt>
          <dd>{profile.displayName}</dd>
          <dt>{t('page.login')}</dt>
          <dd>{profile.login}</dd>
          <dt>{t('page.role')}</dt>
          <dd>{tc(`roles.${profile.role}`)}</dd>
          {profile.facility ? (
            <>
              <dt>{t('page.facility')}</dt>
              <dd>{profile.facility}</dd>
            </>
          ) : profile.province ? (
            <>
              <dt>{t('page.province')}</dt>
              <dd>{profile.province}</dd>
            </>
          ) : null}
          <dt>{t('page.email')}</dt>
          <dd>{profile.email ?? '—'}</dd>
          <dt>{t('page.phone')}</dt>
          <dd>{profile.phone ?? '—'}</dd>
        </dl>
        <p className="muted">{t('page.contactsByAdmin')}</p>
      </section>
      <section className="card" aria-labelledby="security-title">
        <h2 id="security-title">{t('page.security')}</h2>
        <p>
          {profile.passwordChangedAt
            ? t('page.passwordChanged', { at: dateTime(profile.passwordChangedAt) })
            : null}{' '}
          <Link to="/account/password">{t('page.changePassword')}</Link>
        </p>
        <p>
          {twoFactor.enrolledAt
            ? t('page.twoFactorOn', {
                at: dateTime(twoFactor.enrolledAt),
                count: twoFactor.recoveryCodesLeft,
              })
            : t('page.twoFactorOff')}{' '}
          <Link to="/account/two-factor">{t('page.manageTwoFactor')}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('page.sessions')}</h2>
        {actionData?.ended != null ? (
          <p className="notice" role="status">
            {t('page.othersEnded', { count: actionData.ended })}
          </p>
        ) : null}
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('page.device')}</th>
                <th scope="col">{t('page.address')}</th>
                <th scope="col">{t('page.signedInAt')}</th>
                <th scope="col">{t('page.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s, i) => (
                <tr key={i}>
                  <th scope="row" title={s.device.full}>
                    {s.device.label}
                    {s.current ? <span className="badge">{t('page.thisDevice')}</span> : null}
                  </th>
                  <td>{s.ip ?? '—'}</td>
                  <td>{dateTime(s.createdAt)}</td>
                  <td>{dateTime(s.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-others" disabled={others === 0}>
            {t('page.signOutOthers')}
          </button>
        </Form>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account:page.title')
