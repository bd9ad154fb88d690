import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PredictionChart } from '../components/prediction-chart.tsx'
import { RolloutChart } from '../components/rollout-chart.tsx'
import { listProvinces } from '../models/facility.server.ts'
import { riskText } from '../rollout/messages.ts'
import { SMALL_SAMPLE, type OutcomeCell } from '../rollout/prediction.ts'
import { getPrediction } from '../rollout/prediction.server.ts'
import { getProgressPage } from '../rollout/progress.server.ts'
import { progressScope } from '../rollout/progress-scope.server.ts'
import { facilityFilterFor, notFound, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { can } from '../utils/permissions.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** National progress (a province reviewer's: their province), optionally of one wave. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'rollout:view')
  const search = new URL(request.url).searchParams
  const scope = progressScope(user, search)
  if (!scope) throw notFound()
  const db = getDb()
  const today = todayInVietnam()
  const [progress, provinces, prediction] = await Promise.all([
    getProgressPage(db, scope.filter, scope.waveId, today),
    listProvinces(db, facilityFilterFor(user)),
    // Across waves only: one wave's members all share one adoption and target.
    scope.waveId === null
      ? getPrediction(db, scope.filter, today, getLocale(request))
      : Promise.resolve(null),
  ])
  if (scope.waveId !== null && !progress.waves.some((w) => w.id === scope.waveId)) throw notFound()
  return {
    ...progress,
    provinces,
    waveId: scope.waveId,
    province: scope.province,
    query: search.toString(),
    canConfirm: can(user, 'rollout:confirm'),
    prediction,
  }
}

type Prediction = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['prediction']>

/** One cell: the rate with live/n and the median days, marked when n is small. */
function CellText({ cell }: { cell: OutcomeCell }) {
  const { t } = useTranslation('rollout')
  const { num, pct } = useNumberFormat()
  if (cell.n === 0) return <>{t('prediction.empty')}</>
  return (
    <>
      {t('prediction.rate', { rate: pct(cell.rate ?? 0), live: num(cell.live), n: num(cell.n) })}
      {cell.medianDays === null
        ? null
        : ` · ${t('prediction.median', { days: num(cell.medianDays, cell.medianDays % 1 === 0 ? 0 : 1) })}`}
      {cell.small ? (
        <>
          {' '}
          <abbr className="badge" title={t('prediction.smallTitle', { min: SMALL_SAMPLE })}>
            {t('prediction.small')}
          </abbr>
        </>
      ) : null}
    </>
  )
}

/** "Did readiness predict go-live?": rate and time by level and by domain band, with n in every cell. */
function PredictionSection({ prediction }: { prediction: Prediction }) {
  const { t } = useTranslation('rollout')
  const { num } = useNumberFormat()
  const { table } = prediction
  return (
    <section aria-labelledby="prediction-title" data-testid="prediction">
      <h2 id="prediction-title">{t('prediction.title')}</h2>
      <p>{t('prediction.intro')}</p>
      {table.total.n === 0 ? (
        <p>{t('prediction.none')}</p>
      ) : (
        <>
          <p>
            {t('prediction.total', { waves: num(prediction.waves) })}{' '}
            <CellText cell={table.total} />
          </p>
          {[
            table.total,
            ...table.byLevel.map((l) => l.cell),
            ...table.byDomain.flatMap((d) => d.bands.map((b) => b.cell)),
          ].some((c) => c.small && c.n > 0) ? (
            <p className="notice" role="note" data-testid="prediction-caveat">
              {t('prediction.caveat', { min: SMALL_SAMPLE })}
            </p>
          ) : null}
          <PredictionChart
            label={t('prediction.chartLabel')}
            rateName={t('prediction.rateColumn')}
            rows={table.byLevel.map((l) => ({
              group: l.level,
              rate: l.cell.rate,
              n: l.cell.n,
              nLabel: t('prediction.n', { n: num(l.cell.n) }),
            }))}
          />
          <div className="table-scroll">
            <table data-testid="prediction-levels">
              <caption>{t('prediction.byLevel')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('prediction.level')}</th>
                  <th scope="col">{t('prediction.nColumn')}</th>
                  <th scope="col">{t('prediction.rateColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {table.byLevel.map((l) => (
                  <tr key={l.level}>
                    <th scope="row">{l.level}</th>
                    <td>{num(l.cell.n)}</td>
                    <td>
                      <CellText cell={l.cell} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-scroll">
            <table data-testid="prediction-domains">
              <caption>{t('prediction.byDomain')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('prediction.domain')}</th>
                  <th scope="col">{t('prediction.bands.below50')}</th>
                  <th scope="col">{t('prediction.bands.from50to69')}</th>
                  <th scope="col">{t('prediction.bands.from70')}</th>
                </tr>
              </thead>
              <tbody>
                {table.byDomain.map((d) => (
                  <tr key={d.domainId}>
                    <th scope="row">{prediction.domainTitles[d.domainId] ?? d.domainId}</th>
                    {d.bands.map((b) => (
                      <td key={b.band}>
                        <CellText cell={b.cell} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}

function StatusRows({
  label,
  rows,
}: {
  label: (key: string) => string
  rows: Array<[string, Record<'none' | 'in_progress' | 'live', number>]>
}) {
  const { num } = useNumberFormat()
  return (
    <>
      {rows.map(([key, counts]) => (
        <tr key={key}>
          <th scope="row">{label(key)}</th>
          <td>{num(counts.live)}</td>
          <td>{num(counts.in_progress)}</td>
          <td>{num(counts.none)}</td>
          <td>{num(counts.live + counts.in_progress + counts.none)}</td>
        </tr>
      ))}
    </>
  )
}

export const handle: RouteI18n = { i18n: ['waves'] }

export default function RolloutProgressPage() {
  const page = useLoaderData<typeof loader>()
  const { t } = useTranslation('rollout')
  const { t: tc } = useTranslation('common')
  const { date } = useDateFormat()
  const { num, pct, bn } = useNumberFormat()
  const wave = page.waves.find((w) => w.id === page.waveId) ?? null
  const suffix = page.query ? `?${page.query}` : ''
  return (
    <>
      <h1>{wave ? t('progress.waveTitle', { name: wave.name }) : t('progress.title')}</h1>
      <p>
        <Link to="/rollout/waves">{t('waves.title')}</Link>
        {page.canConfirm ? (
          <>
            {' · '}
            <Link to="/rollout/confirm">{t('confirm.title')}</Link>
          </>
        ) : null}
        {' · '}
        <a href={`/rollout/export.csv${suffix}`} download>
          {t('progress.exportCsv')}
        </a>
        {' · '}
        <a href={`/rollout/export.xlsx${suffix}`} download>
          {t('progress.exportXlsx')}
        </a>
      </p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="p-wave">{t('progress.wave')}</label>
          <select id="p-wave" name="wave" defaultValue={page.waveId ?? ''}>
            <option value="">{t('progress.allWaves')}</option>
            {page.waves.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        {page.provinces.length > 1 ? (
          <div className="field">
            <label htmlFor="p-province">{t('progress.province')}</label>
            <select id="p-province" name="province" defaultValue={page.province ?? ''}>
              <option value="">{t('progress.national')}</option>
              {page.provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit">{t('progress.show')}</button>
      </Form>

      {page.goal ? (
        <p data-testid="goal">
          {t('progress.goal', {
            live: num(page.goal.live),
            goal: num(page.goal.goal),
            share: pct(page.goal.live / page.goal.goal, 1),
          })}
        </p>
      ) : null}

      <section aria-labelledby="status-title">
        <h2 id="status-title">{t('progress.statusTitle')}</h2>
        <div className="table-scroll">
          <table data-testid="status-table">
            <thead>
              <tr>
                <th scope="col">{t('progress.group')}</th>
                <th scope="col">{t('common:emrStatus.live')}</th>
                <th scope="col">{t('common:emrStatus.in_progress')}</th>
                <th scope="col">{t('common:emrStatus.none')}</th>
                <th scope="col">{t('progress.total')}</th>
              </tr>
            </thead>
            <tbody>
              <StatusRows label={() => t('progress.total')} rows={[['total', page.table.total]]} />
              <StatusRows
                label={(k) => tc(`tiers.${k}`)}
                rows={Object.entries(page.table.byTier)}
              />
              <StatusRows
                label={(k) => tc(`ownership.${k}`)}
                rows={Object.entries(page.table.byOwnership)}
              />
            </tbody>
          </table>
        </div>
      </section>

      {page.deadlines.length > 0 ? (
        <section aria-labelledby="deadlines-title">
          <h2 id="deadlines-title">{t('progress.deadlinesTitle')}</h2>
          <ul>
            {page.deadlines.map((d) => (
              <li key={d.facilityClass}>
                {t(`progress.deadline.${d.facilityClass}`, {
                  date: date(d.deadline),
                  live: num(d.counts.live),
                  total: num(d.counts.live + d.counts.in_progress + d.counts.none),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="months-title">
        <h2 id="months-title">{t('progress.monthsTitle')}</h2>
        {page.months.length === 0 ? (
          <p>{t('progress.noMonths')}</p>
        ) : (
          <>
            <RolloutChart
              label={t('progress.monthsTitle')}
              names={{
                pilot: t('kinds.pilot_live'),
                live: t('kinds.full_live'),
                cumulative: t('progress.cumulative'),
              }}
              rows={page.months}
            />
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('progress.month')}</th>
                    <th scope="col">{t('kinds.pilot_live')}</th>
                    <th scope="col">{t('kinds.full_live')}</th>
                    <th scope="col">{t('progress.cumulative')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.months.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{m.month}</th>
                      <td>{num(m.pilot)}</td>
                      <td>{num(m.live)}</td>
                      <td>{num(m.cumulative)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="spending-title">
        <h2 id="spending-title">{t('progress.spendingTitle')}</h2>
        {page.waves.length === 0 ? (
          <p>{t('waves.none')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('waves.name')}</th>
                  <th scope="col">{t('waves.targetGoLive')}</th>
                  <th scope="col">{t('waves.facilities')}</th>
                  <th scope="col">{t('waves.live')}</th>
                  <th scope="col">{t('waves.budgetBn')}</th>
                  <th scope="col">{t('waves.plannedBn')}</th>
                  <th scope="col">{t('waves.committedBn')}</th>
                </tr>
              </thead>
              <tbody>
                {page.waves.map((w) => (
                  <tr key={w.id}>
                    <th scope="row">
                      <Link to={`/rollout?wave=${w.id}`}>{w.name}</Link>
                    </th>
                    <td>{date(w.targetGoLive)}</td>
                    <td>{num(w.facilities)}</td>
                    <td>{num(w.live)}</td>
                    <td>{bn(w.budgetVnd)}</td>
                    <td>{bn(w.plannedVnd)}</td>
                    <td>{bn(w.committedVnd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {page.prediction ? <PredictionSection prediction={page.prediction} /> : null}

      <section aria-labelledby="risk-title">
        <h2 id="risk-title">
          {t('progress.atRiskTitle', { n: page.atRiskCount, members: page.members })}
        </h2>
        {page.atRisk.length === 0 ? (
          <p>{t('progress.noRisk')}</p>
        ) : (
          <>
            {page.atRiskCount > page.atRisk.length ? (
              <p>{t('progress.atRiskShown', { shown: page.atRisk.length })}</p>
            ) : null}
            <div className="table-scroll">
              <table data-testid="at-risk">
                <thead>
                  <tr>
                    <th scope="col">{t('progress.facility')}</th>
                    <th scope="col">{t('progress.wave')}</th>
                    <th scope="col">{t('progress.statusColumn')}</th>
                    <th scope="col">{t('progress.reasons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.atRisk.map((m) => (
                    <tr key={`${m.waveId}-${m.facilityId}`}>
                      <th scope="row">
                        {m.name} ({m.code})
                      </th>
                      <td>{m.waveName}</td>
                      <td>{t(`common:emrStatus.${m.emrStatus}`)}</td>
                      <td>{m.risks.map((r) => riskText(t, r, date)).join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rollout:progress.title')
