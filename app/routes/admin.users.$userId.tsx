import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { describeUserAgent } from '../account/page.server.ts'
import { linkOrigin } from '../account/links.server.ts'
import { getI18n, type RouteI18n } from '../i18n.ts'
import { readForm, UserIdParamsSchema } from '../admin/form.server.ts'
import {
  getUserPage,
  handOutLink,
  resetTwoFactorByAdmin,
  setDisabledByAdmin,
} from '../admin/users.server.ts'
import { LinkHandoutView } from '../components/user-fields.tsx'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'

const UserActionSchema = z.object({
  intent: z.enum(['disable', 'enable', 'link', 'reset-2fa']),
})

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, 'users:manage')
  const id = UserIdParamsSchema.safeParse(params)
  if (!id.success) throw notFound()
  const page = await getUserPage(getDb(), id.data.userId)
  if (!page) throw notFound()
  return {
    ...page,
    self: actor.id === page.user.id,
    sessions: page.sessions
      .filter((s) => s.stage === 'full')
      .map((s) => ({
        createdAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        ip: s.ip,
        device: describeUserAgent(s.user_agent),
      })),
  }
}

type Outcome =
  | { done: 'disable' | 'enable' | 'reset-2fa'; error: null; handout: null }
  | { done: 'link'; error: null; handout: Awaited<ReturnType<typeof handOutLink>> }
  | { done: null; error: string; handout: null }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'users:manage')
  const id = UserIdParamsSchema.safeParse(params)
  if (!id.success) throw notFound()
  const form = await readForm(request)
  const parsed = UserActionSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success)
    return data<Outcome>({ done: null, error: 'badRequest', handout: null }, { status: 400 })
  const db = getDb()
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  const userId = id.data.userId
  const intent = parsed.data.intent
  switch (intent) {
    case 'disable':
    case 'enable': {
      const result = await setDisabledByAdmin(db, actor, userId, intent === 'disable', meta)
      switch (result.kind) {
        case 'not_found':
          throw notFound()
        case 'refused':
          return data<Outcome>({ done: null, error: result.reason, handout: null }, { status: 409 })
        case 'unchanged':
        case 'done':
          return data<Outcome>({ done: intent, error: null, handout: null })
      }
      break
    }
    case 'link': {
      const page = await getUserPage(db, userId)
      if (!page) throw notFound()
      if (page.user.disabled)
        return data<Outcome>(
          { done: null, error: 'disabledNoLink', handout: null },
          { status: 409 },
        )
      const handout = await handOutLink(db, {
        userId,
        kind: page.user.has_password ? 'reset' : 'invitation',
        actorId: actor.id,
        origin: linkOrigin(request),
        meta,
        email: (lang) => getI18n(lang).t,
      })
      return data<Outcome>({ done: 'link', error: null, handout })
    }
    case 'reset-2fa': {
      if (!(await resetTwoFactorByAdmin(db, actor.id, userId, meta))) throw notFound()
      return data<Outcome>({ done: 'reset-2fa', error: null, handout: null })
    }
  }
}

export const handle: RouteI18n = { i18n: ['account', 'admin'] }

export default function AdminUserPage() {
  const { user, sessions, link, audit, self } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('admin')
  const { t: tc } = useTranslation()
  const { dateTime } = useDateFormat()
  const busy = navigation.state === 'submitting'
  const status = user.disabled ? 'disabled' : user.has_password ? 'active' : 'invited'
  return (
    <>
      <p>
        <Link to="/admin/users">{t('list.back')}</Link>
      </p>
      <h1>{user.display_name}</h1>
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {t(`errors.${actionData.error}`)}
        </p>
      ) : null}
      {actionData?.done && actionData.done !== 'link' ? (
        <p className="notice" role="status">
          {t(`user.done.${actionData.done}`)}
        </p>
      ) : null}
      {actionData?.handout ? (
        <LinkHandoutView
          url={actionData.handout.link.url}
          expiresAt={actionData.handout.link.expiresAt}
          expiresLabel={dateTime(actionData.handout.link.expiresAt)}
          email={actionData.handout.email}
        />
      ) : null}
      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">{t('user.details')}</h2>
        <dl className="facts">
          <dt>{t('fields.login')}</dt>
          <dd>{user.login}</dd>
          <dt>{t('fields.role')}</dt>
          <dd>{tc(`roles.${user.role}`)}</dd>
          <dt>{t('list.scope')}</dt>
          <dd>
            {user.facility_name
              ? `${user.facility_name} (${user.facility_code})`
              : (user.province_name ?? t('list.national'))}
          </dd>
          <dt>{t('list.status')}</dt>
          <dd>{t(`status.${status}`)}</dd>
          <dt>{t('fields.email')}</dt>
          <dd>{user.email ?? '—'}</dd>
          <dt>{t('fields.phone')}</dt>
          <dd>{user.phone ?? '—'}</dd>
          <dt>{t('list.twoFactor')}</dt>
          <dd>{user.totp_enrolled_at ? dateTime(user.totp_enrolled_at) : '—'}</dd>
          <dt>{t('user.created')}</dt>
          <dd>{dateTime(user.created_at)}</dd>
          <dt>{t('user.latestLink')}</dt>
          <dd>
            {link
              ? t(
                  `user.linkState.${link.used_at ? 'used' : link.revoked_at ? 'replaced' : 'issued'}`,
                  {
                    kind: t(`user.linkKind.${link.kind}`),
                    at: dateTime(link.created_at),
                    expires: dateTime(link.expires_at),
                  },
                )
              : '—'}
          </dd>
        </dl>
        <p className="actions">
          <Link className="button" to={`/admin/users/${user.id}/edit`}>
            {t('user.edit')}
          </Link>
        </p>
      </section>
      <section className="card" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('user.actions')}</h2>
        <Form method="post" className="actions">
          {!user.disabled ? (
            <button type="submit" name="intent" value="link" disabled={busy}>
              {user.has_password ? t('user.resetLink') : t('user.invitationLink')}
            </button>
          ) : null}{' '}
          {user.totp_enrolled_at ? (
            <button
              type="submit"
              name="intent"
              value="reset-2fa"
              className="secondary"
              disabled={busy}
            >
              {t('user.reset2fa')}
            </button>
          ) : null}{' '}
          {user.disabled ? (
            <button type="submit" name="intent" value="enable" disabled={busy}>
              {t('user.enable')}
            </button>
          ) : (
            <button
              type="submit"
              name="intent"
              value="disable"
              className="secondary"
              disabled={busy || self}
            >
              {t('user.disable')}
            </button>
          )}
        </Form>
        <p className="muted">{self ? t('user.selfNote') : t('user.disableNote')}</p>
      </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('user.sessions', { count: sessions.length })}</h2>
        {sessions.length === 0 ? (
          <p>{t('user.noSessions')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('user.device')}</th>
                  <th scope="col">{t('user.address')}</th>
                  <th scope="col">{t('user.signedInAt')}</th>
                  <th scope="col">{t('user.lastSeen')}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s, i) => (
                  <tr key={i}>
                    <th scope="row" title={s.device.full}>
                      {s.device.label}
                    </th>
                    <td>{s.ip ?? '—'}</td>
                    <td>{dateTime(s.createdAt)}</td>
                    <td>{dateTime(s.lastSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">{t('user.audit')}</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('user.at')}</th>
                <th scope="col">{t('user.action')}</th>
                <th scope="col">{t('user.actor')}</th>
                <th scope="col">{t('user.address')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((r) => (
                <tr key={r.id}>
                  <td>{dateTime(r.at)}</td>
                  <th scope="row">
                    <code>{r.action}</code>
                  </th>
                  <td>{r.actor_login ?? (r.ip === 'cli' ? t('user.commandLine') : '—')}</td>
                  <td>{r.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <Link to={`/audit?actor=${encodeURIComponent(user.login)}`}>{t('user.fullAudit')}</Link>
        </p>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.user')
