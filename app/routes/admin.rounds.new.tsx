import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { readForm } from '../admin/form.server.ts'
import {
  createRound,
  getRoundFormOptions,
  parseRoundForm,
  roundFormValues,
} from '../admin/rounds.server.ts'
import { RoundFields } from '../components/round-fields.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'rounds:manage')
  return { options: await getRoundFormOptions(getDb(), getLocale(request)) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'rounds:manage')
  const form = await readForm(request)
  if (!form) return data({ errors: { form: 'badRequest' }, values: null }, { status: 400 })
  const values = roundFormValues(form)
  const parsed = parseRoundForm(form)
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 })
  const result = await createRound(getDb(), actor, parsed.data, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'saved':
      throw redirect(`/admin/rounds/${result.roundId}?saved=1`)
    case 'invalid':
      return data({ errors: result.errors, values }, { status: 400 })
    case 'not_found':
    case 'conflict':
      return data({ errors: { form: 'badRequest' }, values }, { status: 409 })
  }
}

export const handle: RouteI18n = { i18n: ['rounds'] }

export default function NewRoundPage() {
  const { options } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('rounds')
  const errors: Record<string, string> = actionData?.errors ?? {}
  return (
    <>
      <p>
        <Link to="/admin/rounds">{t('form.back')}</Link>
      </p>
      <h1>{t('form.newTitle')}</h1>
      <section className="card form">
        {errors.form ? (
          <p className="form-error" role="alert">
            {t(`errors.${errors.form}`)}
          </p>
        ) : null}
        <Form method="post" noValidate>
          <RoundFields
            values={actionData?.values ?? null}
            options={options}
            errors={errors}
            locked={false}
          />
          <button type="submit" disabled={navigation.state === 'submitting'}>
            {t('form.create')}
          </button>
        </Form>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.newRound')
