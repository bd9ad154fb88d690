import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { MILESTONE_KINDS } from '../../db/schema.ts'
import { readForm } from '../admin/form.server.ts'
import { fieldErrors } from '../admin/user-input.ts'
import { TextField } from '../components/text-field.tsx'
import { getFacilityDetails } from '../models/facility.server.ts'
import {
  listMilestonesOfFacility,
  listStandingMilestones,
  listWavesOfFacility,
} from '../models/rollout.server.ts'
import { problemText } from '../rollout/messages.ts'
import { proposeMilestone } from '../rollout/milestones.server.ts'
import { ProposeMilestoneSchema } from '../rollout/rollout-input.ts'
import { nextStep, waveSchedule } from '../rollout/rules.ts'
import { forbidden, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { todayInVietnam } from '../utils/time.server.ts'

/** The director's own facility (from the session, never from the form). */
async function guard(request: Request) {
  const user = await requirePermission(request, 'rollout:propose')
  if (user.facilityId === null) throw forbidden()
  return { user, facilityId: user.facilityId }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { facilityId } = await guard(request)
  const db = getDb()
  const [facility, waves, milestones, standing] = await Promise.all([
    getFacilityDetails(db, facilityId),
    listWavesOfFacility(db, facilityId),
    listMilestonesOfFacility(db, facilityId),
    listStandingMilestones(db, facilityId),
  ])
  if (!facility) throw forbidden()
  const wave = waves[0] ?? null
  const next = nextStep(
    standing.map((m) => ({ kind: m.kind, occurredOn: m.occurred_on, status: m.status })),
  )
  const schedule = wave ? waveSchedule(wave.adopted_at.slice(0, 10), wave.target_go_live) : []
  return {
    today: todayInVietnam(),
    facility: {
      name: facility.name,
      code: facility.code,
      emrStatus: facility.emr_status,
    },
    wave: wave ? { name: wave.name, targetGoLive: wave.target_go_live } : null,
    next: next ? { kind: next, dueOn: schedule.find((s) => s.kind === next)?.dueOn ?? null } : null,
    schedule,
    milestones,
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

export default function RolloutFacilityPage() {
  const { today, facility, wave, next, schedule, milestones } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('rollout')
  const { date, dateTime } = useDateFormat()
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
          {next.dueOn
            ? t('facility.nextDue', { step: t(`kinds.${next.kind}`), date: date(next.dueOn) })
            : t('facility.next', { step: t(`kinds.${next.kind}`) })}
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
        {milestones.length === 0 ? (
          <p>{t('facility.noMilestones')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('facility.kind')}</th>
                  <th scope="col">{t('facility.occurredOn')}</th>
                  <th scope="col">{t('facility.state')}</th>
                  <th scope="col">{t('facility.note')}</th>
                  <th scope="col">{t('facility.evidenceRef')}</th>
                  <th scope="col">{t('facility.review')}</th>
                </tr>
              </thead>
              <tbody>
                {milestones.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">{t(`kinds.${m.kind}`)}</th>
                    <td>{date(m.occurred_on)}</td>
                    <td>{t(`milestoneStatus.${m.status}`)}</td>
                    <td>{m.note}</td>
                    <td>{m.evidence_ref ?? ''}</td>
                    <td>
                      {m.reviewed_at
                        ? `${dateTime(m.reviewed_at)} · ${m.reviewed_by_name ?? ''}${m.review_comment ? ` — ${m.review_comment}` : ''}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rollout:facility.title')
