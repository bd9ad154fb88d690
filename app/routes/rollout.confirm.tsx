import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { readForm } from '../admin/form.server.ts'
import { fieldErrors } from '../admin/user-input.ts'
import { listPendingMilestones } from '../models/rollout.server.ts'
import { decideMilestone } from '../rollout/milestones.server.ts'
import { ReviewMilestoneSchema } from '../rollout/rollout-input.ts'
import { facilityFilterFor, notFound, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const QUEUE_LIMIT = 200

/** Proposals waiting for a review within the reviewer's scope, oldest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'rollout:confirm')
  return { pending: await listPendingMilestones(getDb(), facilityFilterFor(user), QUEUE_LIMIT) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'rollout:confirm')
  const form = await readForm(request)
  const fields = form ? Object.fromEntries(form) : {}
  const text = (k: string) => (typeof fields[k] === 'string' ? fields[k] : '')
  const values = {
    milestoneId: text('milestoneId'),
    decision: text('decision'),
    comment: text('comment'),
  }
  const parsed = ReviewMilestoneSchema.safeParse(values)
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues)
    return data(
      {
        done: null,
        milestoneId: values.milestoneId,
        error: errors.comment ?? 'badRequest',
        step: null,
      },
      { status: 400 },
    )
  }
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  const result = await decideMilestone(getDb(), user, parsed.data, meta)
  const milestoneId = values.milestoneId
  switch (result.kind) {
    case 'confirmed':
      return data({ done: 'confirmed', milestoneId, error: null, step: null })
    case 'returned':
      return data({ done: 'returned', milestoneId, error: null, step: null })
    case 'waits_for':
      return data(
        { done: null, milestoneId, error: 'waitsFor', step: result.prerequisite },
        { status: 409 },
      )
    case 'conflict':
      return data({ done: null, milestoneId, error: 'changed', step: null }, { status: 409 })
    case 'not_found':
      throw notFound()
  }
}

export const handle: RouteI18n = { i18n: [] }

export default function RolloutConfirmPage() {
  const { pending } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('rollout')
  const { date, dateTime } = useDateFormat()
  const busy = navigation.state === 'submitting'
  return (
    <>
      <p>
        <Link to="/rollout">← {t('progress.title')}</Link>
      </p>
      <h1>{t('confirm.title')}</h1>
      {result?.done ? (
        <p className="notice" role="status">
          {t(`confirm.${result.done}`)}
        </p>
      ) : null}
      {result?.error ? (
        <p className="form-error" role="alert">
          {t(`errors.${result.error}`, { step: result.step ? t(`kinds.${result.step}`) : '' })}
        </p>
      ) : null}
      {pending.length === 0 ? (
        <p>{t('confirm.none')}</p>
      ) : (
        <ul className="card-list">
          {pending.map((m) => (
            <li key={m.id} className="card">
              <h2>
                {m.name} ({m.code}): {t(`kinds.${m.kind}`)}
              </h2>
              <p>
                {t('confirm.proposal', {
                  date: date(m.occurred_on),
                  by: m.proposed_by_name,
                  at: dateTime(m.proposed_at),
                })}
              </p>
              {m.note ? <p>{m.note}</p> : null}
              {m.evidence_ref ? (
                <p>
                  {t('facility.evidenceRef')}: {m.evidence_ref}
                </p>
              ) : null}
              <Form method="post">
                <input type="hidden" name="milestoneId" value={m.id} />
                <div className="field">
                  <label htmlFor={`comment-${m.id}`}>{t('confirm.comment')}</label>
                  <textarea id={`comment-${m.id}`} name="comment" rows={2} maxLength={2000} />
                </div>
                <button type="submit" name="decision" value="confirm" disabled={busy}>
                  {t('confirm.confirm')}
                </button>{' '}
                <button type="submit" name="decision" value="return" disabled={busy}>
                  {t('confirm.return')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rollout:confirm.title')
