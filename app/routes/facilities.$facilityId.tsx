import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { FacilityStatusFormSchema, setFacilityStatus } from '../admin/registry/close.server.ts'
import { countFacilityChanges, listFacilityChanges } from '../models/facility-change.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import {
  notFound,
  requireFacilityAccess,
  requirePermission,
  requireUser,
} from '../utils/auth.server.ts'
import { formatDate, formatDateTime } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { can } from '../utils/permissions.ts'
import { nowIso } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

const ParamsSchema = z.object({ facilityId: z.coerce.number().int().positive() })
const HISTORY_LIMIT = 100

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request)
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  const { user } = await requireFacilityAccess(request, parsed.data.facilityId)
  const db = getDb()
  const facility = await getFacilityDetails(db, parsed.data.facilityId)
  if (!facility) throw notFound()
  const [history, historyTotal] = await Promise.all([
    listFacilityChanges(db, { facilityId: facility.id, limit: HISTORY_LIMIT }),
    countFacilityChanges(db, facility.id),
  ])
  return {
    facility,
    history,
    historyTotal,
    canManage: can(user, 'registry:manage'),
    canExtend: can(user, 'extensions:grant'),
  }
}

/** Close or reopen the facility (administrators). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'registry:manage')
  const parsedParams = ParamsSchema.safeParse(params)
  if (!parsedParams.success) throw notFound()
  await requireFacilityAccess(request, parsedParams.data.facilityId)
  const form = FacilityStatusFormSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!form.success) return data({ ok: false, message: 'reasonRequired' }, { status: 400 })
  const result = await setFacilityStatus(getDb(), {
    facilityId: parsedParams.data.facilityId,
    close: form.data.intent === 'close',
    reason: form.data.reason,
    userId: user.id,
    ip: context.clientIp,
    requestId: context.requestId,
    now: nowIso(),
  })
  switch (result.kind) {
    case 'done':
      return data({ ok: true, message: result.closed ? 'closedDone' : 'reopenedDone' })
    case 'unchanged':
      return data({ ok: false, message: 'alreadyChanged' }, { status: 409 })
  }
}

type HistoryRow = Awaited<ReturnType<typeof loader>>['history'][number]

function ChangeText({ change }: { change: HistoryRow }) {
  const { t } = useTranslation('registry')
  const { t: tc } = useTranslation()
  // Enumerations are stored as keys; show them as the pages do.
  const label = (value: string | null) => {
    if (value === null) return t('facility.none')
    switch (change.field) {
      case 'tier':
        return tc(`tiers.${value}`)
      case 'ownership':
        return tc(`ownership.${value}`)
      case 'emr_status':
        return tc(`emrStatus.${value}`)
      default:
        return value
    }
  }
  switch (change.kind) {
    case 'created':
      return <>{t('facility.created')}</>
    case 'updated':
      return (
        <>
          {t('facility.updated', {
            field: t(`fields.${change.field ?? ''}`),
            old: label(change.old_value),
            new: label(change.new_value),
          })}
        </>
      )
    case 'closed':
      return <>{t('facility.closedChange', { reason: change.reason ?? '' })}</>
    case 'reopened':
      return <>{t('facility.reopenedChange', { reason: change.reason ?? '' })}</>
  }
}

export const handle: RouteI18n = { i18n: ['registry', 'rounds'] }

export default function FacilityPage() {
  const { facility, history, historyTotal, canManage, canExtend } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const { t: tr } = useTranslation('registry')
  const { t: tRounds } = useTranslation('rounds')
  const closed = facility.closed_at !== null
  return (
    <>
      <h1>{facility.name}</h1>
      {canExtend ? (
        <p>
          <Link to={`/facilities/${facility.id}/extension`}>{tRounds('extension.link')}</Link>
        </p>
      ) : null}
      {closed && facility.closed_at ? (
        <p className="notice" data-testid="facility-closed">
          {tr('facility.closed', { date: formatDate(facility.closed_at) })}
        </p>
      ) : null}
      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('facility.details')}</h2>
        <dl className="facts">
          <dt>{t('facility.code')}</dt>
          <dd>{facility.code}</dd>
          <dt>{t('facility.province')}</dt>
          <dd>{i18n.language === 'en' ? facility.province_name_en : facility.province_name}</dd>
          <dt>{t('facility.tier')}</dt>
          <dd>{t(`tiers.${facility.tier}`)}</dd>
          <dt>{t('facility.ownership')}</dt>
          <dd>{t(`ownership.${facility.ownership}`)}</dd>
          <dt>{t('facility.beds')}</dt>
          <dd>{facility.beds}</dd>
          <dt>{t('facility.autonomyGroup')}</dt>
          <dd>{facility.autonomy_group ?? t('facility.autonomyNone')}</dd>
          <dt>{t('facility.emrStatus')}</dt>
          <dd>{t(`emrStatus.${facility.emr_status}`)}</dd>
          <dt>{tr('facility.address')}</dt>
          <dd>{facility.address ?? tr('facility.none')}</dd>
          <dt>{tr('facility.phone')}</dt>
          <dd>{facility.phone ?? tr('facility.none')}</dd>
          <dt>{tr('facility.status')}</dt>
          <dd>
            {closed && facility.closed_at
              ? tr('facility.closed', { date: formatDate(facility.closed_at) })
              : tr('facility.open')}
          </dd>
        </dl>
        <p>
          <Link to={`/facilities/${facility.id}/report`}>{t('facility.printReport')}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{tr('facility.historyTitle')}</h2>
        {history.length === 0 ? (
          <p className="muted">{tr('facility.historyEmpty')}</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="facility-history">
              <thead>
                <tr>
                  <th scope="col">{tr('facility.when')}</th>
                  <th scope="col">{tr('facility.who')}</th>
                  <th scope="col">{tr('facility.what')}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <time dateTime={h.changed_at}>
                        {formatDateTime(h.changed_at, i18n.language)}
                      </time>
                    </td>
                    <td>{h.user_name ?? tr('facility.commandLine')}</td>
                    <td>
                      <ChangeText change={h} />
                      {h.file_sha256 ? (
                        <span className="muted">
                          {' '}
                          · {tr('facility.file', { sha: h.file_sha256.slice(0, 12) })}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {historyTotal > history.length ? (
          <p className="muted">
            {tr('facility.historyMore', { shown: history.length, total: historyTotal })}
          </p>
        ) : null}
      </section>
      {canManage ? (
        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title">
            {closed ? tr('facility.reopenTitle') : tr('facility.closeTitle')}
          </h2>
          {closed ? null : <p className="muted">{tr('facility.closeIntro')}</p>}
          {result ? (
            <p
              className={result.ok ? 'notice' : 'form-error'}
              role={result.ok ? 'status' : 'alert'}
            >
              {tr(`facility.${result.message}`)}
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value={closed ? 'reopen' : 'close'} />
            <div className="field">
              <label htmlFor="status-reason">{tr('facility.reason')}</label>
              <input id="status-reason" name="reason" required maxLength={500} />
            </div>
            <button type="submit">{closed ? tr('facility.reopen') : tr('facility.close')}</button>
          </Form>
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.facility.name ?? ''} · Sẵn Sàng` },
]
