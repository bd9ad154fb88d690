import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { changePassword } from '../account/password.server.ts'
import { TextField } from '../components/text-field.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../utils/password-rule.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const ChangePasswordSchema = z
  .object({
    current: z.string().min(1, { error: 'currentRequired' }).max(PASSWORD_MAX_LENGTH),
    password: z
      .string()
      .min(1, { error: 'passwordRequired' })
      .max(PASSWORD_MAX_LENGTH * 4),
    confirm: z.string(),
  })
  .refine((f) => f.password === f.confirm, { error: 'mismatch', path: ['confirm'] })

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'account:self')
  return null
}

type Outcome = { error: string | null; retryMinutes: number; ended: number | null }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'account:self')
  const form = await request.formData().catch(() => null)
  const parsed = ChangePasswordSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.message ?? 'passwordRequired'
    const error = ['currentRequired', 'passwordRequired', 'mismatch'].includes(first)
      ? first
      : 'tooLong'
    return data<Outcome>({ error, retryMinutes: 0, ended: null }, { status: 400 })
  }
  const result = await changePassword(getDb(), user, parsed.data.current, parsed.data.password, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'changed':
      return data<Outcome>({ error: null, retryMinutes: 0, ended: result.otherSessionsEnded })
    case 'current_wrong':
      return data<Outcome>({ error: 'currentWrong', retryMinutes: 0, ended: null }, { status: 400 })
    case 'weak':
      return data<Outcome>({ error: result.problem, retryMinutes: 0, ended: null }, { status: 400 })
    case 'rate_limited':
      return data<Outcome>(
        { error: 'tooMany', retryMinutes: result.retryMinutes, ended: null },
        { status: 429 },
      )
  }
}

export const handle: RouteI18n = { i18n: ['account'] }

export default function ChangePasswordPage() {
  const { t } = useTranslation('account')
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  if (actionData && actionData.ended !== null) {
    return (
      <section className="card" aria-labelledby="password-title">
        <h1 id="password-title">{t('password.title')}</h1>
        <p className="notice" role="status">
          {t('password.changed', { count: actionData.ended })}
        </p>
        <p>
          <Link to="/account">{t('password.back')}</Link>
        </p>
      </section>
    )
  }
  return (
    <section className="card form" aria-labelledby="password-title">
      <h1 id="password-title">{t('password.title')}</h1>
      <p className="muted">{t('password.rule', { min: PASSWORD_MIN_LENGTH })}</p>
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {t(`password.${actionData.error}`, {
            min: PASSWORD_MIN_LENGTH,
            minutes: actionData.retryMinutes,
          })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <TextField
          id="current"
          name="current"
          type="password"
          label={t('password.current')}
          autoComplete="current-password"
          required
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t('password.new')}
          autoComplete="new-password"
          required
        />
        <TextField
          id="confirm"
          name="confirm"
          type="password"
          label={t('password.confirm')}
          autoComplete="new-password"
          required
        />
        <button type="submit" disabled={navigation.state === 'submitting'}>
          {t('password.submit')}
        </button>
      </Form>
      <p className="muted">{t('password.othersEnd')}</p>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account:password.title')
