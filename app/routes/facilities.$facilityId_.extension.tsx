import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { readForm } from '../admin/form.server.ts'
import { ExtensionFormSchema, WithdrawExtensionSchema } from '../admin/round-input.ts'
import { fieldErrors } from '../admin/user-input.ts'
import { TextField } from '../components/text-field.tsx'
import { getFacilityDetails } from '../models/facility.server.ts'
import { getExtensionInForce, listExtensionHistory } from '../models/round-extension.server.ts'
import { getCurrentRound, getRound } from '../models/round.server.ts'
import { grantExtension, withdrawExtension } from '../review/extensions.server.ts'
import { notFound, requireFacilityAccess, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const ParamsSchema = z.object({ facilityId: z.coerce.number().int().positive() })
const QuerySchema = z.object({ round: z.coerce.number().int().positive().optional() })
const IntentSchema = z.enum(['grant', 'withdraw'])

/** Reviewers with extensions:grant, for a facility in their scope (else 404). */
async function guard(request: Request, params: unknown) {
  await requirePermission(request, 'extensions:grant')
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  return requireFacilityAccess(request, parsed.data.facilityId)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { facility: scope } = await guard(request, params)
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!query.success) throw notFound()
  const db = getDb()
  const round = query.data.round
    ? await getRound(db, query.data.round)
    : await getCurrentRound(db, todayInVietnam())
  if (!round) throw notFound()
  const [facility, current, history] = await Promise.all([
    getFacilityDetails(db, scope.id),
    getExtensionInForce(db, round.id, scope.id),
    listExtensionHistory(db, round.id, scope.id),
  ])
  if (!facility) throw notFound()
  return {
    facility: { id: facility.id, name: facility.name, code: facility.code },
    round: { id: round.id, name: round.name, closesOn: round.closes_on },
    current: current ?? null,
    history,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, facility } = await guard(request, params)
  const body = await readForm(request)
  const { intent, ...fields } = body ? Object.fromEntries(body) : {}
  const parsedIntent = IntentSchema.safeParse(intent)
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  const values = {
    closesOn: typeof fields.closesOn === 'string' ? fields.closesOn : '',
    reason: typeof fields.reason === 'string' ? fields.reason : '',
  }
  if (!parsedIntent.success) {
    return data({ done: null, errors: { form: 'badRequest' }, values, date: null }, { status: 400 })
  }
  let result
  if (parsedIntent.data === 'grant') {
    const parsed = ExtensionFormSchema.safeParse(fields)
    if (!parsed.success) {
      return data(
        { done: null, errors: fieldErrors(parsed.error.issues), values, date: null },
        { status: 400 },
      )
    }
    result = await grantExtension(getDb(), user, facility.id, parsed.data, meta)
  } else {
    const parsed = WithdrawExtensionSchema.safeParse(fields)
    if (!parsed.success) {
      return data(
        { done: null, errors: { form: 'badRequest' }, values, date: null },
        { status: 400 },
      )
    }
    result = await withdrawExtension(getDb(), user, facility.id, parsed.data.roundId, meta)
  }
  switch (result.kind) {
    case 'granted':
      return data({ done: 'granted', errors: {}, values: null, date: result.closesOn })
    case 'withdrawn':
      return data({ done: 'withdrawn', errors: {}, values: null, date: null })
    case 'invalid':
      return data(
        { done: null, errors: result.errors, values, date: result.roundClosesOn ?? null },
        { status: 400 },
      )
    case 'conflict':
      return data(
        { done: null, errors: { form: 'extensionChanged' }, values, date: null },
        { status: 409 },
      )
    case 'not_found':
      throw notFound()
  }
}

export const handle: RouteI18n = { i18n: ['rounds'] }

export default function ExtensionPage() {
  const { facility, round, current, history } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('rounds')
  const { date, dateTime } = useDateFormat()
  const errors: Record<string, string> = result?.errors ?? {}
  const error = (field: string) =>
    errors[field]
      ? t(`errors.${errors[field]}`, { date: result?.date ? date(result.date) : '' })
      : null
  const busy = navigation.state === 'submitting'
  return (
    <>
      <p>
        <Link to={`/facilities/${facility.id}`}>
          ← {facility.name} ({facility.code})
        </Link>
      </p>
      <h1>{t('extension.title', { round: round.name })}</h1>
      <p>{t('extension.roundCloses', { date: date(round.closesOn) })}</p>
      {result?.done === 'granted' && result.date ? (
        <p className="notice" role="status">
          {t('extension.granted', { date: date(result.date) })}
        </p>
      ) : null}
      {result?.done === 'withdrawn' ? (
        <p className="notice" role="status">
          {t('extension.withdrawn')}
        </p>
      ) : null}
      {errors.form ? (
        <p className="form-error" role="alert">
          {error('form')}
        </p>
      ) : null}
      <section className="card" aria-labelledby="extension-current">
        <h2 id="extension-current">{facility.name}</h2>
        {current ? (
          <>
            <p data-testid="extension-current">
              {t('extension.current', { date: date(current.closes_on), reason: current.reason })}
            </p>
            <p className="muted">
              {t('extension.grantedBy', {
                name: current.granted_by_name,
                at: dateTime(current.granted_at),
              })}
            </p>
          </>
        ) : (
          <p>{t('extension.none')}</p>
        )}
        <Form method="post" noValidate>
          <input type="hidden" name="roundId" value={round.id} />
          <TextField
            id="closesOn"
            name="closesOn"
            type="date"
            label={t('extension.newDate')}
            min={round.closesOn}
            defaultValue={result?.values?.closesOn ?? current?.closes_on ?? ''}
            required
            error={error('closesOn')}
          />
          <div className="field">
            <label htmlFor="reason">{t('extension.reason')}</label>
            <textarea
              id="reason"
              name="reason"
              rows={3}
              maxLength={1000}
              required
              defaultValue={result?.values?.reason ?? ''}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? 'reason-error' : undefined}
            />
            {errors.reason ? (
              <p id="reason-error" className="field-error">
                {error('reason')}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="grant" disabled={busy}>
            {current ? t('extension.change') : t('extension.grant')}
          </button>
        </Form>
        {current ? (
          <Form method="post">
            <input type="hidden" name="roundId" value={round.id} />
            <button type="submit" name="intent" value="withdraw" disabled={busy}>
              {t('extension.withdraw')}
            </button>
          </Form>
        ) : null}
      </section>
      {history.length > 0 ? (
        <section className="card" aria-labelledby="extension-history">
          <h2 id="extension-history">{t('extension.history')}</h2>
          <ul>
            {history.map((h) => (
              <li key={h.id}>
                {t('extension.historyRow', {
                  date: date(h.closes_on),
                  reason: h.reason,
                  by: h.granted_by_name,
                  at: dateTime(h.granted_at),
                })}
                {h.ended_how === 'changed' ? ` — ${t('extension.endedChanged')}` : ''}
                {h.ended_how === 'withdrawn' ? ` — ${t('extension.endedWithdrawn')}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.extension')
