import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { TextField } from '../components/text-field.tsx'
import {
  getUser,
  RedirectToSchema,
  safeRedirectPath,
  SIGN_IN_STEP_PATHS,
} from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { authenticate } from '../utils/login.server.ts'
import { PASSWORD_MAX_LENGTH } from '../utils/password-rule.ts'
import { pageTitle } from '../utils/page-title.ts'
import { useEffect } from 'react'
import { forgetOfflineCopy } from '../assessment/offline-copy.client.ts'
import type { RouteI18n } from '../i18n.ts'

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
  redirectTo: RedirectToSchema,
})

type FormError = 'invalid' | 'tooMany' | 'badRequest' | 'redirectInvalid'

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'))
  if (await getUser(request)) throw redirect(redirectTo)
  // The form carries only what safeRedirectPath accepted.
  return { redirectTo }
}

const failure = (formError: FormError | null, status: number, fields = {}, retryMinutes = 0) =>
  data(
    { formError, retryMinutes, fields: fields as { login?: string; password?: string } },
    { status },
  )

export async function action({ request, context }: ActionFunctionArgs) {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    // A JSON body, a broken multipart body: not our form.
    return failure('badRequest', 400)
  }
  const parsed = LoginFormSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors
    if (fields.redirectTo) return failure('redirectInvalid', 400)
    return failure(null, 400, { login: fields.login?.[0], password: fields.password?.[0] })
  }
  const result = await authenticate(getDb(), request, {
    login: parsed.data.login,
    password: parsed.data.password,
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  if (result.ok) {
    const target = safeRedirectPath(parsed.data.redirectTo)
    const next =
      result.stage === 'full'
        ? target
        : `${SIGN_IN_STEP_PATHS[result.stage]}?redirectTo=${encodeURIComponent(target)}`
    throw redirect(next, { headers: { 'Set-Cookie': result.setCookie } })
  }
  return result.reason === 'rate_limited'
    ? failure('tooMany', 429, {}, result.retryMinutes ?? 0)
    : failure('invalid', 401)
}

export const handle: RouteI18n = { i18n: [] }

export default function LoginPage() {
  const { t } = useTranslation()
  // Whoever signs in next must not find the last user's form page on this device.
  useEffect(() => forgetOfflineCopy(), [])
  const { redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const fields = actionData?.fields ?? {}
  return (
    <section className="card form" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p className="muted">{t('login.intro')}</p>
      {actionData?.formError ? (
        <p className="form-error" role="alert">
          {t(`login.${actionData.formError}`, { minutes: actionData.retryMinutes })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
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
      <p className="muted">{t('login.forgot')}</p>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:login.title')
