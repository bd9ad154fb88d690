import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { MILESTONE_KINDS } from '../../db/schema.ts'
import { readForm } from '../admin/form.server.ts'
import { fieldErrors } from '../admin/user-input.ts'
import { MilestoneHistory, NextStepText } from '../components/milestone-history.tsx'
import { TextField } from '../components/text-field.tsx'
import { getFacilityDetails } from '../models/facility.server.ts'
import { getFacilityRollout } from '../rollout/facility-rollout.server.ts'
import { problemText } from '../rollout/messages.ts'
import { proposeMilestone } from '../rollout/milestones.server.ts'
import { ProposeMilestoneSchema } from '../rollout/rollout-input.ts'
import { forbidden, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** The director's own facility (from the session, never from the form). */
async function guard(request: Request) {
  const user = await requirePermission(request, 'rollout:propose')
  if (user.facilityId === null) throw forbidden()
  return { user, facilityId: user.facilityId }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { facilityId } = await guard(request)
  const db = getDb()
  const today = todayInVietnam()
  const [facility, rollout] = await Promise.all([
    getFacilityDetails(db, facilityId),
    getFacilityRollout(db, facilityId, today),
  ])
  if (!facility) throw forbidden()
  return {
    today,
    facility: {
      name: facility.name,
      code: facility.code,
      emrStatus: facility.emr_status,
    },
    ...rollout,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, facilityId } = await guard(request)
  const form = await readForm(request)
  const fields = form ? Object.fromEntries(form) : {}
  const text = (k: string) => (typeof fields[k] === 'string' ? fields[k] : '')
  const values = {
    kind: text('kind'),
    occurredOn: text('occurredOn'),
    note: text('note'),
    evidenceRef: text('evidenceRef'),
  }
  const parsed = ProposeMilestoneSchema.safeParse(values)
  if (!parsed.success) {
    return data(
      { done: false, errors: fieldErrors(parsed.error.issues), problems: [], values },
      { status: 400 },
    )
  }
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  const result = await proposeMilestone(
    getDb(),
    user,
    facilityId,
    parsed.data,
    todayInVietnam(),
    meta,
  )
  switch (result.kind) {
    case 'proposed':
      return data({ done: true, errors: {}, problems: [], values: null })
    case 'refused':
      return data({ done: false, errors: {}, problems: result.problems, values }, { status: 400 })
    case 'not_in_wave':
      return data(
        { done: false, errors: { form: 'notInWave' }, problems: [], values },
        { status: 409 },
      )
  }
}

export const handle: RouteI18n = { i18n: [] }

export default function RolloutFacilityPage() {
  const { today, facility, wave, next, schedule, milestones } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('rollout')
  const { date } = useDateFormat()
  const errors: Record<string, string> = result?.errors ?? {}
  const error = (field: string) => (errors[field] ? t(`errors.${errors[field]}`) : null)
  const values = result?.values ?? null
  return (
    <>
      <h1>{t('facility.title')}</h1>
      <p>
        {facility.name} ({facility.code}) · {t('facility.status')}:{' '}
        <strong data-testid="emr-status">{t(`common:emrStatus.${facility.emrStatus}`)}</strong>
      </p>
      {wave ? (
        <p>{t('facility.wave', { name: wave.name, date: date(wave.targetGoLive) })}</p>
      ) : (
        <p>{t('facility.noWave')}</p>
      )}
      {next ? (
        <p data-testid="next-step">
          <NextStepText next={next} />
        </p>
      ) : null}
      {result?.done ? (
        <p className="notice" role="status">
          {t('facility.proposed')}
        </p>
      ) : null}
      {errors.form || (result?.problems.length ?? 0) > 0 ? (
        <div className="form-error" role="alert">
          {errors.form ? <p>{error('form')}</p> : null}
          {result?.problems.map((p) => (
            <p key={p.code}>{problemText(t, p, date)}</p>
          ))}
        </div>
      ) : null}
      {wave ? (
        <section className="card" aria-labelledby="propose-title">
          <h2 id="propose-title">{t('facility.proposeTitle')}</h2>
          <Form method="post">
            <div className="field">
              <label htmlFor="m-kind">{t('facility.kind')}</label>
              <select
                id="m-kind"
                name="kind"
                defaultValue={values?.kind ?? next?.kind ?? ''}
                aria-invalid={errors.kind ? true : undefined}
                aria-describedby={errors.kind ? 'm-kind-error' : undefined}
              >
                {MILESTONE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kinds.${k}`)}
                  </option>
                ))}
              </select>
              {errors.kind ? (
                <p id="m-kind-error" className="field-error">
                  {error('kind')}
                </p>
              ) : null}
            </div>
            <TextField
              id="m-date"
              name="occurredOn"
              type="date"
              max={today}
              label={t('facility.occurredOn')}
              defaultValue={values?.occurredOn ?? ''}
              error={error('occurredOn')}
            />
            <div className="field">
              <label htmlFor="m-note">{t('facility.note')}</label>
              <textarea
                id="m-note"
                name="note"
                rows={3}
                maxLength={2000}
                defaultValue={values?.note ?? ''}
              />
            </div>
            <TextField
              id="m-evidence"
              name="evidenceRef"
              label={t('facility.evidenceRef')}
              maxLength={500}
              defaultValue={values?.evidenceRef ?? ''}
              error={error('evidenceRef')}
            />
            <button type="submit" disabled={navigation.state === 'submitting'}>
              {t('facility.propose')}
            </button>
          </Form>
        </section>
      ) : null}
      {schedule.length > 0 ? (
        <section aria-labelledby="schedule-title">
          <h2 id="schedule-title">{t('facility.scheduleTitle')}</h2>
          <ul>
            {schedule.map((s) => (
              <li key={s.kind}>
                {t(`kinds.${s.kind}`)}: {date(s.dueOn)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('facility.historyTitle')}</h2>
        <MilestoneHistory milestones={milestones} details />
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rollout:facility.title')
