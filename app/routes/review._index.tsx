import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCurrentRound } from '../models/round.server.ts'
import { getReviewQueue } from '../review/page.server.ts'
import { bulkVerify, BulkVerifySchema } from '../review/review.server.ts'
import { facilityFilterFor, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review:act')
  const db = getDb()
  const round = await getCurrentRound(db, nowIso().slice(0, 10))
  if (!round) return { round: null, queue: [] }
  return {
    round: { id: round.id, name: round.name },
    queue: await getReviewQueue(db, facilityFilterFor(user), round.id),
  }
}

/** Bulk verify: every selected assessment in one transaction, or none. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review:act')
  const form = await request.formData()
  const parsed = BulkVerifySchema.safeParse({
    intent: form.get('intent'),
    items: form.getAll('item'),
  })
  if (!parsed.success)
    return data(
      { ok: false, count: 0, refused: [] as Array<{ assessmentId: number; reason: string }> },
      { status: 400 },
    )
  const result = await bulkVerify(getDb(), user, parsed.data.items, context)
  return result.kind === 'done'
    ? data({
        ok: true,
        count: result.count,
        refused: [] as Array<{ assessmentId: number; reason: string }>,
      })
    : data({ ok: false, count: 0, refused: result.refused }, { status: 409 })
}

export default function ReviewQueuePage() {
  const { round, queue } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('review')
  const { num } = useNumberFormat()
  return (
    <>
      <h1>{t('queue.title')}</h1>
      {!round ? (
        <p>{t('queue.noRound')}</p>
      ) : (
        <p>
          {t('queue.intro')} ({round.name})
        </p>
      )}
      {round && queue.length === 0 ? <p>{t('queue.empty')}</p> : null}
      {result?.ok ? (
        <p className="notice" role="status">
          {t('bulk.done', { count: result.count })}
        </p>
      ) : null}
      {result && !result.ok ? (
        <div className="form-error" role="alert">
          <p>{result.refused.length > 0 ? t('bulk.refused') : t('bulk.nothing')}</p>
          <ul>
            {result.refused.map((r) => (
              <li key={r.assessmentId}>
                #{r.assessmentId}: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {queue.length > 0 ? (
        <Form method="post">
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('bulk.select')}</th>
                  <th scope="col">{t('queue.facility')}</th>
                  <th scope="col">{t('queue.province')}</th>
                  <th scope="col">{t('queue.submitted')}</th>
                  <th scope="col" className="num">
                    {t('queue.composite')}
                  </th>
                  <th scope="col">{t('queue.level')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {queue.map((q) => (
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
                    <td>{q.submitted_at?.slice(0, 10)}</td>
                    <td className="num">
                      {q.composite_bp === null ? '—' : num(q.composite_bp / 100, 1)}
                    </td>
                    <td>{q.level ?? '—'}</td>
                    <td>
                      <Link to={`/review/${q.id}`} aria-label={`${t('queue.open')}: ${q.name}`}>
                        {t('queue.open')}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="actions">
            <button type="submit" name="intent" value="bulk-verify">
              {t('bulk.verify')}
            </button>
          </p>
        </Form>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Thẩm định · Sẵn Sàng' }]
