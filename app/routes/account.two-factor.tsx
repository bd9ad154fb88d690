import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { confirmCurrentPassword } from '../account/password.server.ts'
import {
  confirmEnrolment,
  getEnrolmentView,
  getTwoFactorStatus,
  regenerateRecoveryCodes,
  removeTwoFactor,
} from '../account/two-factor.server.ts'
import { TextField } from '../components/text-field.tsx'
import { RecoveryCodes, TotpEnrolment } from '../components/two-factor.tsx'
import { getSessionState, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { PASSWORD_MAX_LENGTH } from '../utils/password-rule.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const Password = z.string().min(1, { error: 'currentRequired' }).max(PASSWORD_MAX_LENGTH)

const TwoFactorActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('enrol'),
    code: z
      .string()
      .transform((c) => c.replace(/\s/g, ''))
      .pipe(z.string().regex(/^\d{6}$/, { error: 'codeInvalid' })),
    // Required when a factor is enrolled already (re-enrolment).
    current: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  }),
  z.object({ intent: z.literal('recovery-codes'), current: Password }),
  z.object({ intent: z.literal('disable'), current: Password }),
])

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'account:self')
  const url = new URL(request.url)
  const db = getDb()
  const status = await getTwoFactorStatus(db, user.id)
  const state = await getSessionState(request)
  const setup = !status.enrolledAt || url.searchParams.get('setup') === '1'
  const view = setup && state ? await getEnrolmentView(db, state) : null
  return {
    status,
    recoveryUsed: url.searchParams.get('recovery') === 'used',
    enrolment: view ? { qrDataUrl: view.qrDataUrl, secretGroups: view.secretGroups } : null,
  }
}

type Outcome = {
  error: string | null
  retryMinutes: number
  recoveryCodes: string[] | null
  done: 'enrolled' | 'codes' | 'disabled' | null
}
const outcome = (o: Partial<Outcome>, status = 200) =>
  data<Outcome>({ error: null, retryMinutes: 0, recoveryCodes: null, done: null, ...o }, { status })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'account:self')
  const state = await getSessionState(request)
  if (!state) throw new Response('Unauthorized', { status: 401 })
  const form = await request.formData().catch(() => null)
  const parsed = TwoFactorActionSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message
    return outcome({ error: message === 'currentRequired' ? message : 'codeInvalid' }, 400)
  }
  const db = getDb()
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  const status = await getTwoFactorStatus(db, user.id)
  const input = parsed.data
  // Changing an enrolled factor, its codes or turning it off asks for the password again.
  if (input.intent !== 'enrol' || status.enrolledAt) {
    const check = await confirmCurrentPassword(
      db,
      user,
      input.current ?? '',
      meta,
      'mfa.change_refused',
    )
    if (check.kind === 'current_wrong') return outcome({ error: 'currentWrong' }, 400)
    if (check.kind === 'rate_limited')
      return outcome({ error: 'tooMany', retryMinutes: check.retryMinutes }, 429)
  }
  switch (input.intent) {
    case 'enrol': {
      const result = await confirmEnrolment(db, request, state, input.code, meta)
      if (result.kind === 'invalid') return outcome({ error: 'codeWrong' }, 401)
      if (result.kind === 'rate_limited')
        return outcome({ error: 'tooMany', retryMinutes: result.retryMinutes }, 429)
      return outcome({ recoveryCodes: result.recoveryCodes, done: 'enrolled' })
    }
    case 'recovery-codes': {
      if (!status.enrolledAt) return outcome({ error: 'notEnrolled' }, 409)
      return outcome({
        recoveryCodes: await regenerateRecoveryCodes(db, user.id, meta),
        done: 'codes',
      })
    }
    case 'disable': {
      if (status.required) return outcome({ error: 'requiredForRole' }, 403)
      await removeTwoFactor(db, user.id, user.id, meta, 'mfa.disabled')
      return outcome({ done: 'disabled' })
    }
  }
}

export const handle: RouteI18n = { i18n: ['account'] }

export default function TwoFactorPage() {
  const { status, enrolment, recoveryUsed } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('account')
  const { dateTime } = useDateFormat()
  const busy = navigation.state === 'submitting'
  const error = actionData?.error ? (
    <p className="form-error" role="alert">
      {t(
        actionData.error.startsWith('code')
          ? `code.${actionData.error}`
          : `twoFactor.${actionData.error}`,
        {
          minutes: actionData.retryMinutes,
        },
      )}
    </p>
  ) : null
  if (actionData?.done) {
    return (
      <section className="card" aria-labelledby="tf-title">
        <h1 id="tf-title">{t('twoFactor.title')}</h1>
        <p className="notice" role="status">
          {t(`twoFactor.done.${actionData.done}`)}
        </p>
        {actionData.recoveryCodes ? <RecoveryCodes codes={actionData.recoveryCodes} /> : null}
        <p>
          <Link to="/account">{t('password.back')}</Link>
        </p>
      </section>
    )
  }
  return (
    <>
      <h1>{t('twoFactor.title')}</h1>
      {recoveryUsed ? (
        <p className="notice" role="status">
          {t('twoFactor.recoveryUsed', { count: status.recoveryCodesLeft })}
        </p>
      ) : null}
      {error}
      <section className="card" aria-labelledby="tf-status">
        <h2 id="tf-status">{t('twoFactor.status')}</h2>
        <p>
          {status.enrolledAt
            ? t('page.twoFactorOn', {
                at: dateTime(status.enrolledAt),
                count: status.recoveryCodesLeft,
              })
            : t('page.twoFactorOff')}
        </p>
        <p className="muted">
          {status.required ? t('twoFactor.required') : t('twoFactor.optional')}
        </p>
        {status.enrolledAt && !enrolment ? (
          <p>
            <Link to="?setup=1">{t('twoFactor.reenrol')}</Link>
          </p>
        ) : null}
      </section>
      {enrolment ? (
        <section className="card form" aria-labelledby="tf-enrol">
          <h2 id="tf-enrol">{status.enrolledAt ? t('twoFactor.reenrol') : t('enrol.title')}</h2>
          <TotpEnrolment qrDataUrl={enrolment.qrDataUrl} secretGroups={enrolment.secretGroups} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="enrol" />
            <TextField
              id="code"
              name="code"
              label={t('enrol.codeLabel')}
              autoComplete="one-time-code"
              inputMode="numeric"
              required
            />
            {status.enrolledAt ? (
              <TextField
                id="enrol-current"
                name="current"
                type="password"
                label={t('password.current')}
                autoComplete="current-password"
                required
              />
            ) : null}
            <button type="submit" disabled={busy}>
              {t('enrol.submit')}
            </button>
          </Form>
        </section>
      ) : null}
      {status.enrolledAt ? (
        <section className="card form" aria-labelledby="tf-codes">
          <h2 id="tf-codes">{t('twoFactor.newCodes')}</h2>
          <p className="muted">{t('twoFactor.newCodesIntro')}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="recovery-codes" />
            <TextField
              id="codes-current"
              name="current"
              type="password"
              label={t('password.current')}
              autoComplete="current-password"
              required
            />
            <button type="submit" disabled={busy}>
              {t('twoFactor.newCodesSubmit')}
            </button>
          </Form>
          {!status.required ? (
            <Form method="post" noValidate>
              <h2>{t('twoFactor.disable')}</h2>
              <input type="hidden" name="intent" value="disable" />
              <TextField
                id="disable-current"
                name="current"
                type="password"
                label={t('password.current')}
                autoComplete="current-password"
                required
              />
              <button type="submit" className="secondary" disabled={busy}>
                {t('twoFactor.disableSubmit')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account:twoFactor.title')
