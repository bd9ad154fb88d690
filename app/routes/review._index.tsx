import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { getCurrentRound } from '../models/round.server.ts'
import { listAssessmentFacilityNames } from '../models/review.server.ts'
import { nameRefusals, previewBulkVerify } from '../review/confirm.server.ts'
import {
  getPendingMilestones,
  getQueuePage,
  parseQueueParams,
  selectAllMatching,
} from '../review/queue.server.ts'
import { MAX_BULK } from '../review/bulk-limit.ts'
import { bulkVerify, BulkVerifySchema } from '../review/review.server.ts'
import { ScoreText } from '../review/score-text.tsx'
import { useFocusOnShow } from '../review/use-focus-on-show.ts'
import { facilityFilterFor, requirePermission } from '../utils/auth.server.ts'
import { formatDate, formatDateTime } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { can } from '../utils/permissions.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { useHydrated } from '../utils/use-hydrated.ts'
import type { RouteI18n } from '../i18n.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review:act')
  const db = getDb()
  const round = await getCurrentRound(db, todayInVietnam())
  const url = new URL(request.url)
  const { params, invalid } = parseQueueParams(url.searchParams)
  const filter = facilityFilterFor(user)
  // Milestones are confirmed whether or not a round is open.
  const milestones = can(user, 'rollout:confirm') ? await getPendingMilestones(db, filter) : null
  if (!round) return { queue: null, params, invalid, milestones }
  const queue = await getQueuePage(db, filter, round, params)
  return { queue, params, invalid, milestones }
}

/**
 * Bulk verification in two steps: `preview-bulk-verify` (the ticked rows, or
 * every row matching the filters) shows what each verification records and
 * writes nothing; `bulk-verify` with the confirmed id:version pairs verifies
 * them in one transaction, all or none, naming each refused item.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review:act')
  const form = await request.formData()
  const parsed = BulkVerifySchema.safeParse({
    intent: form.get('intent'),
    items: form.getAll('item'),
    all: form.get('all') ?? undefined,
    filters: form.get('filters') ?? undefined,
  })
  if (!parsed.success) {
    const messages = parsed.error.issues.map((i) => i.message)
    const error = messages.includes('tooMany')
      ? 'tooMany'
      : messages.includes('nothingSelected')
        ? 'nothingSelected'
        : 'invalid'
    return data({ kind: 'invalid' as const, error }, { status: 400 })
  }
  const db = getDb()
  const filter = facilityFilterFor(user)
  const locale = getLocale(request)
  if (parsed.data.intent === 'preview-bulk-verify') {
    let items = parsed.data.items
    if (parsed.data.all === '1') {
      const round = await getCurrentRound(db, todayInVietnam())
      if (!round) return data({ kind: 'invalid' as const, error: 'noRound' }, { status: 409 })
      const all = await selectAllMatching(db, filter, round.id, parsed.data.filters)
      if (all.kind === 'tooMany')
        return data({ kind: 'invalid' as const, error: 'tooMany' }, { status: 400 })
      items = all.items
    }
    if (items.length === 0)
      return data({ kind: 'invalid' as const, error: 'nothingSelected' }, { status: 400 })
    const preview = await previewBulkVerify(db, user, items, locale)
    return { kind: 'confirm' as const, preview }
  }
  const ids = parsed.data.items.map(([id]) => id)
  const result = await bulkVerify(db, user, parsed.data.items, context)
  if (result.kind === 'done') {
    const names = await listAssessmentFacilityNames(db, filter, ids)
    return { kind: 'done' as const, count: result.count, facilities: names.map((n) => n.name) }
  }
  return data(
    { kind: 'refused' as const, refused: await nameRefusals(db, user, result.refused) },
    { status: 409 },
  )
}

type ActionData = ReturnType<typeof useActionData<typeof action>>
type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

export const handle: RouteI18n = { i18n: ['review'] }

export default function ReviewQueuePage() {
  const { queue, params, invalid, milestones } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('review')
  const location = useLocation()
  const messageRef = useFocusOnShow<HTMLDivElement>(result)
  return (
    <>
      <h1>{t('queue.title')}</h1>
      {!queue ? (
        <p>{t('queue.noRound')}</p>
      ) : (
        <p>{t('queue.intro', { round: queue.round.name })}</p>
      )}
      <div ref={messageRef} tabIndex={-1} className="focus-target">
        {result ? <ActionResult result={result} filters={location.search} /> : null}
      </div>
      {milestones ? <PendingMilestones milestones={milestones} /> : null}
      {queue ? <QueueFilters queue={queue} params={params} invalid={invalid} /> : null}
      {queue ? <QueueTable queue={queue} params={params} /> : null}
    </>
  )
}

/** Rollout milestones waiting for this reviewer, confirmed on their own page. */
function PendingMilestones({ milestones }: { milestones: NonNullable<LoaderData['milestones']> }) {
  const { t } = useTranslation('rollout')
  return (
    <section className="card" aria-labelledby="pending-milestones" data-testid="pending-milestones">
      <h2 id="pending-milestones">{t('reviewQueue.title')}</h2>
      {milestones.count === 0 ? (
        <p>{t('confirm.none')}</p>
      ) : (
        <>
          <p>
            <Link to="/rollout/confirm">{t('reviewQueue.count', { count: milestones.count })}</Link>
          </p>
          <ul>
            {milestones.oldest.map((m) => (
              <li key={m.id}>
                <Link to="/rollout/confirm">
                  {t('reviewQueue.item', {
                    facility: `${m.name} (${m.code})`,
                    step: t(`kinds.${m.kind}`),
                    date: formatDate(m.occurredOn),
                  })}
                </Link>
              </li>
            ))}
          </ul>
          {milestones.count > milestones.oldest.length ? (
            <p className="muted">
              {t('reviewQueue.more', { count: milestones.count - milestones.oldest.length })}
            </p>
          ) : null}
        </>
      )}
    </section>
  )
}

function QueueFilters({
  queue,
  params,
  invalid,
}: {
  queue: NonNullable<LoaderData['queue']>
  params: LoaderData['params']
  invalid: string[]
}) {
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  return (
    <Form method="get" className="card filters" aria-labelledby="queue-filters">
      <h2 id="queue-filters" className="visually-hidden">
        {t('queue.filters')}
      </h2>
      {invalid.length > 0 ? (
        <p className="form-error" role="alert">
          {t('queue.invalid', {
            fields: invalid.map((f) => t(`queue.field.${f}`)).join(', '),
          })}
        </p>
      ) : null}
      <div className="grid">
        <div className="field">
          <label htmlFor="q">{t('list.search')}</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={params.q ?? ''}
            placeholder={
              queue.searchExample ? t('list.example', { example: queue.searchExample }) : undefined
            }
          />
        </div>
        {queue.provinces.length > 1 ? (
          <div className="field">
            <label htmlFor="province">{t('list.province')}</label>
            <select id="province" name="province" defaultValue={params.province ?? ''}>
              <option value="">{t('list.any')}</option>
              {queue.provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="tier">{t('list.tier')}</label>
          <select id="tier" name="tier" defaultValue={params.tier ?? ''}>
            <option value="">{t('list.any')}</option>
            {(['central', 'provincial', 'basic'] as const).map((v) => (
              <option key={v} value={v}>
                {tc(`tiers.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="from">{t('queue.from')}</label>
          <input id="from" name="from" type="date" defaultValue={params.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="to">{t('queue.to')}</label>
          <input id="to" name="to" type="date" defaultValue={params.to ?? ''} />
        </div>
      </div>
      <p className="actions">
        <button type="submit">{t('list.apply')}</button>{' '}
        <Link to="/review">{t('queue.clear')}</Link>
      </p>
    </Form>
  )
}

function QueueTable({
  queue,
  params,
}: {
  queue: NonNullable<LoaderData['queue']>
  params: LoaderData['params']
}) {
  const { t, i18n } = useTranslation('review')
  const { num } = useNumberFormat()
  const location = useLocation()
  const hydrated = useHydrated()
  // The boxes stay plain form fields (they work before hydration and without
  // JavaScript); the page-wide box and the count only read and tick them.
  const formRef = useRef<HTMLFormElement>(null)
  const [picked, setPicked] = useState(0)
  const boxes = () => [
    ...(formRef.current?.querySelectorAll<HTMLInputElement>('input[name="item"]') ?? []),
  ]
  const recount = () => setPicked(boxes().filter((b) => b.checked).length)
  useEffect(recount, [queue.rows])
  const link = (page: number) => {
    const next = new URLSearchParams(location.search)
    next.set('page', String(page))
    return `?${next.toString()}`
  }
  return (
    <>
      <p data-testid="queue-count">
        {t('queue.count', { count: queue.total, shown: queue.rows.length })}
      </p>
      {queue.total === 0 ? <p>{t('queue.empty')}</p> : null}
      {queue.rows.length > 0 ? (
        <Form method="post" ref={formRef} onChange={recount}>
          <input type="hidden" name="intent" value="preview-bulk-verify" />
          <input type="hidden" name="filters" value={location.search.replace(/^\?/, '')} />
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('queue.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    {hydrated ? (
                      <label className="choice">
                        <input
                          type="checkbox"
                          checked={picked > 0 && picked === queue.rows.length}
                          onChange={(e) => {
                            for (const box of boxes()) box.checked = e.target.checked
                            recount()
                          }}
                        />{' '}
                        {t('bulk.selectPage')}
                      </label>
                    ) : (
                      t('bulk.select')
                    )}
                  </th>
                  <th scope="col">{t('queue.facility')}</th>
                  <th scope="col">{t('queue.province')}</th>
                  <th scope="col">{t('queue.submitted')}</th>
                  <th scope="col" className="num">
                    {t('queue.composite')}
                  </th>
                  <th scope="col">{t('queue.level')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('queue.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {queue.rows.map((q) => {
                  return (
                    <tr key={q.id}>
                      <td>
                        <input
                          type="checkbox"
                          name="item"
                          value={`${q.id}:${q.version}`}
                          aria-label={`${t('bulk.select')}: ${q.name}`}
                        />
                      </td>
                      <th scope="row">
                        {q.name} <span className="muted">({q.code})</span>
                      </th>
                      <td>{q.province_name}</td>
                      <td>
                        {q.submitted_at ? (
                          <time
                            dateTime={q.submitted_at}
                            title={formatDateTime(q.submitted_at, i18n.language)}
                          >
                            {formatDate(q.submitted_at)}
                          </time>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td className="num">
                        {q.composite_bp === null ? '—' : num(q.composite_bp / 100, 2)}
                      </td>
                      <td>{q.level ?? '—'}</td>
                      <td>
                        <Link to={`/review/${q.id}`} aria-label={`${t('queue.open')}: ${q.name}`}>
                          {t('queue.open')}
                        </Link>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <p className="actions">
            <button type="submit" name="all" value="0">
              {hydrated && picked > 0
                ? t('bulk.verifyPicked', { count: picked })
                : t('bulk.verify')}
            </button>{' '}
            <button type="submit" name="all" value="1" className="secondary">
              {t('bulk.verifyAll', { count: queue.total })}
            </button>
          </p>
          <p className="muted">{t('bulk.help', { max: num(MAX_BULK) })}</p>
        </Form>
      ) : null}
      {queue.pages > 1 ? (
        <nav aria-label={t('list.pages')} className="pager">
          {params.page > 1 ? <Link to={link(params.page - 1)}>{t('list.previous')}</Link> : null}{' '}
          {t('list.page', { page: params.page, pages: queue.pages })}{' '}
          {params.page < queue.pages ? (
            <Link to={link(params.page + 1)}>{t('list.next')}</Link>
          ) : null}
        </nav>
      ) : null}
    </>
  )
}

/** What the last button did: the confirmation to give, the result, or what was refused. */
function ActionResult({ result, filters }: { result: NonNullable<ActionData>; filters: string }) {
  const { t } = useTranslation('review')
  switch (result.kind) {
    case 'invalid':
      return (
        <p className="form-error" role="alert">
          {t(`bulk.errors.${result.error}`, { max: MAX_BULK })}
        </p>
      )
    case 'done':
      return (
        <div className="notice" role="status" data-testid="bulk-done">
          <p>
            <strong>{t('bulk.done', { count: result.count })}</strong>
          </p>
          <ul>
            {result.facilities.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </div>
      )
    case 'refused':
      return (
        <div className="form-error" role="alert" data-testid="bulk-refused">
          <p>{t('bulk.refused')}</p>
          <RefusedList refused={result.refused} />
        </div>
      )
    case 'confirm':
      return <BulkConfirm preview={result.preview} filters={filters} />
  }
}

function RefusedList({
  refused,
}: {
  refused: Array<{
    assessmentId: number
    reason: string
    facility: { code: string; name: string } | null
  }>
}) {
  const { t } = useTranslation('review')
  return (
    <ul>
      {refused.map((r) => (
        <li key={r.assessmentId}>
          {r.facility
            ? `${r.facility.name} (${r.facility.code})`
            : t('bulk.unknownItem', { id: r.assessmentId })}
          : {t(`bulk.reasons.${r.reason}`)}
        </li>
      ))}
    </ul>
  )
}

function BulkConfirm({
  preview,
  filters,
}: {
  preview: Extract<NonNullable<ActionData>, { kind: 'confirm' }>['preview']
  filters: string
}) {
  const { t } = useTranslation('review')
  const { num } = useNumberFormat()
  const count = preview.items.length
  return (
    <section
      className="card confirm"
      aria-labelledby="bulk-confirm-title"
      data-testid="bulk-confirm"
    >
      <h2 id="bulk-confirm-title">{t('bulk.confirmTitle', { count })}</h2>
      <p>{t('bulk.confirmIntro')}</p>
      {preview.refused.length > 0 ? (
        <div className="form-error" role="alert">
          <p>{t('bulk.refusedBefore', { count: preview.refused.length })}</p>
          <RefusedList refused={preview.refused} />
        </div>
      ) : null}
      {count > 0 ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('queue.facility')}</th>
                <th scope="col">{t('confirm.declared')}</th>
                <th scope="col">{t('confirm.record')}</th>
                <th scope="col" className="num">
                  {t('confirm.valuesColumn')}
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.items.map((i) => (
                <tr key={i.assessmentId}>
                  <th scope="row">
                    {i.facility.name} <span className="muted">({i.facility.code})</span>
                  </th>
                  <td>{i.declared ? <ScoreText score={i.declared} /> : '—'}</td>
                  <td>
                    <strong>
                      <ScoreText score={i.record} />
                    </strong>
                  </td>
                  <td className="num">{num(i.verifiedValues)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form method="post" className="actions">
        {preview.items.map((i) => (
          <input
            key={i.assessmentId}
            type="hidden"
            name="item"
            value={`${i.assessmentId}:${i.version}`}
          />
        ))}
        {preview.refused.length === 0 ? (
          <>
            <input type="hidden" name="intent" value="bulk-verify" />
            <button type="submit">{t('bulk.confirmButton', { count })}</button>
          </>
        ) : count > 0 ? (
          <>
            <input type="hidden" name="intent" value="preview-bulk-verify" />
            <input type="hidden" name="all" value="0" />
            <button type="submit">{t('bulk.withoutRefused', { count })}</button>
          </>
        ) : null}{' '}
        <Link to={`/review${filters}`}>{t('confirm.cancel')}</Link>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'review:queue.title')
