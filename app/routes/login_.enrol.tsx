import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { confirmEnrolment, getEnrolmentView } from '../account/two-factor.server.ts'
import { TextField } from '../components/text-field.tsx'
import { RecoveryCodes, TotpEnrolment } from '../components/two-factor.tsx'
import {
  getSessionState,
  RedirectToSchema,
  safeRedirectPath,
  SIGN_IN_STEP_PATHS,
} from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const EnrolFormSchema = z.object({
  // Apps show codes as "123 456"; the space is not part of it.
  code: z
    .string()
    .transform((c) => c.replace(/\s/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, { error: 'codeInvalid' })),
  redirectTo: RedirectToSchema,
})

/**
 * A role that must use a second factor enrols here right after the
 * password, before any page opens (MFA_REQUIRED_ROLES).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'))
  const state = await getSessionState(request)
  if (!state) throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`)
  if (state.stage === 'second_factor')
    throw redirect(
      `${SIGN_IN_STEP_PATHS.second_factor}?redirectTo=${encodeURIComponent(redirectTo)}`,
    )
  // Just enrolled (the action's cookie is full now): the page shows the recovery codes.
  if (state.stage === 'full') return { redirectTo, enrolment: null }
  const view = await getEnrolmentView(getDb(), state)
  return { redirectTo, enrolment: { qrDataUrl: view.qrDataUrl, secretGroups: view.secretGroups } }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const state = await getSessionState(request)
  if (!state || state.stage !== 'enrol') throw redirect('/login')
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return data(
      { error: 'codeInvalid' as const, retryMinutes: 0, recoveryCodes: null },
      { status: 400 },
    )
  }
  const parsed = EnrolFormSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success)
    return data(
      { error: 'codeInvalid' as const, retryMinutes: 0, recoveryCodes: null },
      { status: 400 },
    )
  const result = await confirmEnrolment(getDb(), request, state, parsed.data.code, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'enrolled':
      return data(
        { error: null, retryMinutes: 0, recoveryCodes: result.recoveryCodes },
        { headers: result.setCookie ? { 'Set-Cookie': result.setCookie } : undefined },
      )
    case 'invalid':
      return data(
        { error: 'codeWrong' as const, retryMinutes: 0, recoveryCodes: null },
        { status: 401 },
      )
    case 'rate_limited':
      return data(
        { error: 'tooMany' as const, retryMinutes: result.retryMinutes, recoveryCodes: null },
        { status: 429 },
      )
  }
}

export const handle: RouteI18n = { i18n: ['account'] }

export default function EnrolPage() {
  const { t } = useTranslation('account')
  const { redirectTo, enrolment } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  if (actionData?.recoveryCodes || !enrolment) {
    return (
      <section className="card" aria-labelledby="enrol-title">
        <h1 id="enrol-title">{t('enrol.doneTitle')}</h1>
        {actionData?.recoveryCodes ? <RecoveryCodes codes={actionData.recoveryCodes} /> : null}
        <p>
          <Link className="button" to={redirectTo}>
            {t('enrol.continue')}
          </Link>
        </p>
      </section>
    )
  }
  return (
    <section className="card form" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t('enrol.title')}</h1>
      <p>{t('enrol.required')}</p>
      {actionData?.error === 'tooMany' ? (
        <p className="form-error" role="alert">
          {t('code.tooMany', { minutes: actionData.retryMinutes })}
        </p>
      ) : null}
      <TotpEnrolment qrDataUrl={enrolment.qrDataUrl} secretGroups={enrolment.secretGroups} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          id="code"
          name="code"
          label={t('enrol.codeLabel')}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          error={
            actionData?.error && actionData.error !== 'tooMany'
              ? t(`code.${actionData.error}`)
              : null
          }
        />
        <button type="submit" disabled={navigation.state === 'submitting'}>
          {t('enrol.submit')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account:enrol.title')
