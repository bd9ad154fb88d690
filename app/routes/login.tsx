import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { TextField } from '../components/text-field.tsx'
import { getUser, safeRedirectPath } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { authenticate } from '../utils/login.server.ts'
import { PASSWORD_MAX_LENGTH } from '../utils/password.server.ts'

const LoginFormSchema = z.object({
  login: z
    .string({ error: 'loginRequired' })
    .trim()
    .min(1, { error: 'loginRequired' })
    .max(100, { error: 'tooLong' })
    .transform((s) => s.normalize('NFC').toLowerCase()),
  password: z
    .string({ error: 'passwordRequired' })
    .min(1, { error: 'passwordRequired' })
    .max(PASSWORD_MAX_LENGTH, { error: 'tooLong' }),
  redirectTo: z.string().optional(),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (user) {
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')))
  }
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData())
  const parsed = LoginFormSchema.safeParse(form)
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors
    return data(
      {
        formError: null,
        retryMinutes: null,
        fields: { login: fields.login?.[0], password: fields.password?.[0] },
      },
      { status: 400 },
    )
  }
  const result = await authenticate(getDb(), request, {
    login: parsed.data.login,
    password: parsed.data.password,
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  if (result.ok) {
    throw redirect(safeRedirectPath(parsed.data.redirectTo), {
      headers: { 'Set-Cookie': result.setCookie },
    })
  }
  const status = result.reason === 'rate_limited' ? 429 : result.reason === 'disabled' ? 403 : 401
  const formError = result.reason === 'rate_limited' ? 'tooMany' : result.reason
  return data({ formError, retryMinutes: result.retryMinutes ?? null, fields: {} }, { status })
}

export default function LoginPage() {
  const { t } = useTranslation()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [params] = useSearchParams()
  const fields: { login?: string; password?: string } = actionData?.fields ?? {}
  return (
    <section className="card form" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p className="muted">{t('login.intro')}</p>
      {actionData?.formError ? (
        <p className="form-error" role="alert">
          {t(`login.${actionData.formError}`, { minutes: actionData.retryMinutes ?? 0 })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <TextField
          id="login"
          name="login"
          label={t('login.login')}
          autoComplete="username"
          autoCapitalize="none"
          required
          error={fields.login ? t(`login.${fields.login}`) : null}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t('login.password')}
          autoComplete="current-password"
          required
          error={fields.password ? t(`login.${fields.password}`) : null}
        />
        <button type="submit" disabled={navigation.state === 'submitting'}>
          {t('login.submit')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Đăng nhập · Sẵn Sàng' }]
