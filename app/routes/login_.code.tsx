import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { TextField } from '../components/text-field.tsx'
import {
  getSessionState,
  RedirectToSchema,
  safeRedirectPath,
  SIGN_IN_STEP_PATHS,
} from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { verifySecondFactor } from '../utils/login.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const CodeFormSchema = z.object({
  code: z.string().trim().min(1, { error: 'codeRequired' }).max(40, { error: 'codeInvalid' }),
  redirectTo: RedirectToSchema,
})

/** The session waiting for its second factor; anything else goes where it belongs. */
async function requireCodeStep(request: Request, redirectTo: string) {
  const state = await getSessionState(request)
  const back = encodeURIComponent(redirectTo)
  if (!state) throw redirect(`/login?redirectTo=${back}`)
  if (state.stage === 'full') throw redirect(redirectTo)
  if (state.stage === 'enrol') throw redirect(`${SIGN_IN_STEP_PATHS.enrol}?redirectTo=${back}`)
  return { ...state, stage: state.stage }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'))
  const state = await requireCodeStep(request, redirectTo)
  return { redirectTo, login: state.user.login }
}

export async function action({ request, context }: ActionFunctionArgs) {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return data({ error: 'codeInvalid' as const, retryMinutes: 0 }, { status: 400 })
  }
  const parsed = CodeFormSchema.safeParse(Object.fromEntries(form))
  const redirectTo = safeRedirectPath(parsed.success ? parsed.data.redirectTo : undefined)
  const state = await requireCodeStep(request, redirectTo)
  if (!parsed.success) {
    const code = z.flattenError(parsed.error).fieldErrors.code?.[0]
    return data(
      {
        error: code === 'codeRequired' ? ('codeRequired' as const) : ('codeInvalid' as const),
        retryMinutes: 0,
      },
      { status: 400 },
    )
  }
  const result = await verifySecondFactor(getDb(), request, state, parsed.data.code, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'signed_in':
      throw redirect(result.usedRecoveryCode ? '/account/two-factor?recovery=used' : redirectTo, {
        headers: { 'Set-Cookie': result.setCookie },
      })
    case 'invalid':
      return data({ error: 'codeWrong' as const, retryMinutes: 0 }, { status: 401 })
    case 'rate_limited':
      return data({ error: 'tooMany' as const, retryMinutes: result.retryMinutes }, { status: 429 })
  }
}

export const handle: RouteI18n = { i18n: ['account'] }

export default function SecondFactorPage() {
  const { t } = useTranslation('account')
  const { redirectTo, login } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  return (
    <section className="card form" aria-labelledby="code-title">
      <h1 id="code-title">{t('code.title')}</h1>
      <p>{t('code.intro', { login })}</p>
      {actionData?.error === 'tooMany' ? (
        <p className="form-error" role="alert">
          {t('code.tooMany', { minutes: actionData.retryMinutes })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          id="code"
          name="code"
          label={t('code.label')}
          autoComplete="one-time-code"
          autoCapitalize="characters"
          inputMode="text"
          required
          error={
            actionData && actionData.error !== 'tooMany' ? t(`code.${actionData.error}`) : null
          }
        />
        <p className="muted">{t('code.recoveryHint')}</p>
        <button type="submit" disabled={navigation.state === 'submitting'}>
          {t('code.submit')}
        </button>
      </Form>
      <p>
        <Link to="/login">{t('code.restart')}</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account:code.title')
