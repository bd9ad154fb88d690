import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getLinkState, redeemLink } from '../account/links.server.ts'
import { TextField } from '../components/text-field.tsx'
import { SIGN_IN_STEP_PATHS } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../utils/password-rule.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const SetPasswordSchema = z
  .object({
    password: z
      .string()
      .min(1, { error: 'passwordRequired' })
      .max(PASSWORD_MAX_LENGTH * 4),
    confirm: z.string(),
  })
  .refine((f) => f.password === f.confirm, { error: 'mismatch', path: ['confirm'] })

const REFUSED_STATUS = { unknown: 404, expired: 410, used: 410, replaced: 410 } as const

/** The page of a one-time link: opening it uses nothing up. */
export async function loader({ params }: LoaderFunctionArgs) {
  const state = await getLinkState(getDb(), params.token ?? '')
  if (state.kind !== 'valid')
    return data(
      { state: state.kind, linkKind: null, login: null },
      { status: REFUSED_STATUS[state.kind] },
    )
  return { state: state.kind, linkKind: state.linkKind, login: state.login }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return data({ error: 'badRequest' as const, refused: null }, { status: 400 })
  }
  const parsed = SetPasswordSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors
    const error = fields.confirm ? ('mismatch' as const) : ('passwordRequired' as const)
    return data({ error, refused: null }, { status: 400 })
  }
  const result = await redeemLink(getDb(), request, params.token ?? '', parsed.data.password, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'signed_in':
      throw redirect(
        result.stage === 'full' ? '/' : `${SIGN_IN_STEP_PATHS[result.stage]}?redirectTo=%2F`,
        {
          headers: { 'Set-Cookie': result.setCookie },
        },
      )
    case 'weak':
      return data({ error: result.problem, refused: null }, { status: 400 })
    case 'refused':
      return data({ error: null, refused: result.state }, { status: REFUSED_STATUS[result.state] })
  }
}

export const handle: RouteI18n = { i18n: ['account'] }

export default function SetPasswordPage() {
  const { t } = useTranslation('account')
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const refused = actionData?.refused ?? (loaded.state === 'valid' ? null : loaded.state)
  if (refused) {
    return (
      <section className="card" aria-labelledby="link-title">
        <h1 id="link-title">{t('link.refusedTitle')}</h1>
        <p className="form-error" role="alert">
          {t(`link.${refused}`)}
        </p>
        <p>{t('link.askAgain')}</p>
      </section>
    )
  }
  return (
    <section className="card form" aria-labelledby="link-title">
      <h1 id="link-title">
        {loaded.linkKind === 'reset' ? t('link.resetTitle') : t('link.invitationTitle')}
      </h1>
      <p>{t('link.intro', { login: loaded.login ?? '' })}</p>
      <p className="muted">{t('password.rule', { min: PASSWORD_MIN_LENGTH })}</p>
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {t(`password.${actionData.error}`, { min: PASSWORD_MIN_LENGTH })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        {/* Password managers file the new password under this login. */}
        <input type="hidden" name="username" autoComplete="username" value={loaded.login ?? ''} />
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
          {t('link.submit')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'common:titles.setPassword'),
  // The token is in the address: never let it leave in a Referer.
  { name: 'referrer', content: 'no-referrer' },
]
