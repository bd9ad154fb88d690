import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { readForm } from '../admin/form.server.ts'
import {
  editRound,
  getRoundFormOptions,
  parseRoundForm,
  roundFormValues,
} from '../admin/rounds.server.ts'
import { RoundFields } from '../components/round-fields.tsx'
import { getRoundForEdit, roundHasSubmissions } from '../models/round.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const RoundIdParamsSchema = z.object({ roundId: z.coerce.number().int().positive() })
const VersionSchema = z.coerce.number().int().min(1)

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'rounds:manage')
  const id = RoundIdParamsSchema.safeParse(params)
  if (!id.success) throw notFound()
  const db = getDb()
  const round = await getRoundForEdit(db, id.data.roundId)
  if (!round) throw notFound()
  const [options, locked] = await Promise.all([
    getRoundFormOptions(db, getLocale(request)),
    roundHasSubmissions(db, round.id),
  ])
  return {
    options,
    locked,
    round: {
      id: round.id,
      version: round.version,
      values: {
        name: round.name,
        opensOn: round.opens_on,
        closesOn: round.closes_on,
        questionnaireId: String(round.questionnaire_id),
        scoringModelId: String(round.scoring_model_id),
        gates: Object.fromEntries(
          Object.entries(round.gate_settings).map(([g, on]) => [g, on ? 'on' : 'off']),
        ),
      },
    },
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'rounds:manage')
  const id = RoundIdParamsSchema.safeParse(params)
  if (!id.success) throw notFound()
  const form = await readForm(request)
  const version = VersionSchema.safeParse(form?.get('version'))
  if (!form || !version.success)
    return data(
      { errors: { form: 'badRequest' } as Record<string, string>, values: null, saved: false },
      { status: 400 },
    )
  const values = roundFormValues(form)
  const parsed = parseRoundForm(form)
  if (!parsed.ok) return data({ errors: parsed.errors, values, saved: false }, { status: 400 })
  const result = await editRound(getDb(), actor, id.data.roundId, version.data, parsed.data, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'saved':
      return data({ errors: {} as Record<string, string>, values: null, saved: true })
    case 'not_found':
      throw notFound()
    case 'invalid':
      return data({ errors: result.errors, values, saved: false }, { status: 400 })
    case 'conflict':
      return data(
        { errors: { form: 'conflict' } as Record<string, string>, values, saved: false },
        { status: 409 },
      )
  }
}

export const handle: RouteI18n = { i18n: ['rounds'] }

export default function EditRoundPage() {
  const { round, options, locked } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [search] = useSearchParams()
  const { t } = useTranslation('rounds')
  const errors: Record<string, string> = actionData?.errors ?? {}
  const saved = actionData?.saved ?? search.get('saved') === '1'
  return (
    <>
      <p>
        <Link to="/admin/rounds">{t('form.back')}</Link>
      </p>
      <h1>{t('form.editTitle', { name: round.values.name })}</h1>
      <section className="card form">
        {saved && !actionData?.values ? (
          <p className="notice" role="status">
            {t('form.saved', { name: round.values.name })}
          </p>
        ) : null}
        {errors.form ? (
          <p className="form-error" role="alert">
            {t(`errors.${errors.form}`)}
          </p>
        ) : null}
        {/* After a save the form starts again from the stored round and its new version. */}
        <Form method="post" noValidate key={round.version}>
          <input type="hidden" name="version" value={round.version} />
          <RoundFields
            values={actionData?.values ?? round.values}
            options={options}
            errors={errors}
            locked={locked}
          />
          <button type="submit" disabled={navigation.state === 'submitting'}>
            {t('form.save')}
          </button>
        </Form>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.editRound')
