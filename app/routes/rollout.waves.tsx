import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { readForm } from '../admin/form.server.ts'
import { fieldErrors } from '../admin/user-input.ts'
import { TextField } from '../components/text-field.tsx'
import { listRankingRuns } from '../models/ranking-run.server.ts'
import { listWaves } from '../models/rollout.server.ts'
import { AdoptWaveSchema } from '../rollout/rollout-input.ts'
import { adoptRun, waveSummary } from '../rollout/waves.server.ts'
import { facilityFilterFor, notFound, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { can } from '../utils/permissions.ts'
import type { RouteI18n } from '../i18n.ts'

const RUN_LIST_LIMIT = 200

/** Adopted waves (counts within the user's scope) and, for planners, the saved runs not yet adopted. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'rollout:view')
  const db = getDb()
  const waves = await listWaves(db, facilityFilterFor(user))
  const adopted = new Set(waves.map((w) => w.run_id))
  const canAdopt = can(user, 'rollout:adopt')
  const runs = canAdopt
    ? (await listRankingRuns(db, RUN_LIST_LIMIT))
        .filter((r) => !adopted.has(r.id))
        .map((r) => ({ id: r.id, name: r.name, roundName: r.round_name, createdAt: r.created_at }))
    : []
  return {
    canAdopt,
    runs,
    waves: waves.map(waveSummary),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'rollout:adopt')
  const form = await readForm(request)
  const fields = form ? Object.fromEntries(form) : {}
  const values = {
    runId: typeof fields.runId === 'string' ? fields.runId : '',
    name: typeof fields.name === 'string' ? fields.name : '',
    targetGoLive: typeof fields.targetGoLive === 'string' ? fields.targetGoLive : '',
    budgetBn: typeof fields.budgetBn === 'string' ? fields.budgetBn : '',
  }
  const parsed = AdoptWaveSchema.safeParse(values)
  if (!form || !parsed.success) {
    const errors = parsed.success ? { form: 'badRequest' } : fieldErrors(parsed.error.issues)
    return data({ done: null, errors, values }, { status: 400 })
  }
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  const result = await adoptRun(getDb(), user, parsed.data, meta)
  switch (result.kind) {
    case 'adopted':
      return data({ done: { facilities: result.facilities }, errors: {}, values: null })
    case 'invalid':
      return data({ done: null, errors: result.errors, values }, { status: 400 })
    case 'conflict':
      return data({ done: null, errors: { runId: 'alreadyAdopted' }, values }, { status: 409 })
    case 'not_found':
      throw notFound()
  }
}

export const handle: RouteI18n = { i18n: ['waves'] }

export default function RolloutWavesPage() {
  const { canAdopt, runs, waves } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('rollout')
  const { date, dateTime } = useDateFormat()
  const { num, bn } = useNumberFormat()
  const errors: Record<string, string> = result?.errors ?? {}
  const error = (field: string) => (errors[field] ? t(`errors.${errors[field]}`) : null)
  const values = result?.values ?? null
  return (
    <>
      <p>
        <Link to="/rollout">← {t('progress.title')}</Link>
      </p>
      <h1>{t('waves.title')}</h1>
      {result?.done ? (
        <p className="notice" role="status">
          {t('waves.adopted', { n: result.done.facilities })}
        </p>
      ) : null}
      {errors.form ? (
        <p className="form-error" role="alert">
          {error('form')}
        </p>
      ) : null}
      {waves.length === 0 ? (
        <p>{t('waves.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('waves.name')}</th>
                <th scope="col">{t('waves.run')}</th>
                <th scope="col">{t('waves.targetGoLive')}</th>
                <th scope="col">{t('waves.facilities')}</th>
                <th scope="col">{t('waves.live')}</th>
                <th scope="col">{t('waves.budgetBn')}</th>
                <th scope="col">{t('waves.plannedBn')}</th>
                <th scope="col">{t('waves.committedBn')}</th>
                <th scope="col">{t('waves.adoptedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {waves.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    <Link to={`/rollout?wave=${w.id}`}>{w.name}</Link>
                  </th>
                  <td>
                    <Link to={`/waves/runs/${w.runId}`}>{w.runName}</Link>
                  </td>
                  <td>{date(w.targetGoLive)}</td>
                  <td>{num(w.facilities)}</td>
                  <td>{num(w.live)}</td>
                  <td>{bn(w.budgetVnd)}</td>
                  <td>{bn(w.plannedVnd)}</td>
                  <td>{bn(w.committedVnd)}</td>
                  <td>
                    {dateTime(w.adoptedAt)} · {w.adoptedBy}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canAdopt ? (
        <section className="card" aria-labelledby="adopt-title">
          <h2 id="adopt-title">{t('waves.adoptTitle')}</h2>
          <p>{t('waves.adoptHelp')}</p>
          {runs.length === 0 ? (
            <p>{t('waves.noRuns')}</p>
          ) : (
            <Form method="post">
              <div className="field">
                <label htmlFor="adopt-run">{t('waves.run')}</label>
                <select
                  id="adopt-run"
                  name="runId"
                  defaultValue={values?.runId ?? ''}
                  aria-invalid={errors.runId ? true : undefined}
                  aria-describedby={errors.runId ? 'adopt-run-error' : undefined}
                >
                  <option value="">{t('waves.chooseRun')}</option>
                  {runs.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name} · {r.roundName} · {dateTime(r.createdAt)}
                    </option>
                  ))}
                </select>
                {errors.runId ? (
                  <p id="adopt-run-error" className="field-error">
                    {error('runId')}
                  </p>
                ) : null}
              </div>
              <TextField
                id="adopt-name"
                name="name"
                label={t('waves.name')}
                defaultValue={values?.name ?? ''}
                maxLength={200}
                error={error('name')}
              />
              <TextField
                id="adopt-target"
                name="targetGoLive"
                type="date"
                label={t('waves.targetGoLive')}
                defaultValue={values?.targetGoLive ?? ''}
                error={error('targetGoLive')}
              />
              <TextField
                id="adopt-budget"
                name="budgetBn"
                type="number"
                min={0}
                step="any"
                label={t('waves.budgetBn')}
                defaultValue={values?.budgetBn ?? ''}
                error={error('budgetBn')}
              />
              <button type="submit" disabled={navigation.state === 'submitting'}>
                {t('waves.adopt')}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rollout:waves.title')
