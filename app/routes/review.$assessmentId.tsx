import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getI18n, type RouteI18n } from '../i18n.ts'
import { getReviewPage } from '../review/page.server.ts'
import { previewUnlock, previewVerify } from '../review/confirm.server.ts'
import { applyReviewAction, parseReviewForm } from '../review/review.server.ts'
import { ScoreText } from '../review/score-text.tsx'
import { useFocusOnShow } from '../review/use-focus-on-show.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { can } from '../utils/permissions.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { formatDateTime } from '../utils/date-format.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'

const ParamsSchema = z.object({ assessmentId: z.coerce.number().int().positive() })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review:act')
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  const locale = getLocale(request)
  const page = await getReviewPage(
    getDb(),
    user,
    parsed.data.assessmentId,
    locale,
    getI18n(locale).t('results:empty'),
    getI18n(locale).t('review:page.profile'),
  )
  if (!page) throw notFound()
  return { ...page, canExtend: can(user, 'extensions:grant') }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review:act')
  const parsedParams = ParamsSchema.safeParse(params)
  if (!parsedParams.success) throw notFound()
  const parsed = parseReviewForm(await request.formData())
  if (!parsed.success) {
    const reason = parsed.error.issues.some((i) => i.message === 'reasonRequired')
      ? 'reasonRequired'
      : 'invalid'
    return data(failure(reason), { status: 400 })
  }
  const db = getDb()
  const id = parsedParams.data.assessmentId
  const request_ = parsed.data
  // The confirmation steps only read: what verifying records, what unlocking undoes.
  if (request_.intent === 'preview-verify' || request_.intent === 'preview-unlock') {
    const locale = getLocale(request)
    const preview =
      request_.intent === 'preview-verify'
        ? await previewVerify(
            db,
            user,
            id,
            request_.version,
            locale,
            getI18n(locale).t('results:empty'),
          )
        : await previewUnlock(db, user, id, request_.version, request_.reason, locale)
    switch (preview.kind) {
      case 'not_found':
        throw notFound()
      case 'wrong_state':
        return data(failure('wrong_state', preview.status), { status: 409 })
      case 'stale':
        return data(failure('stale'), { status: 409 })
      case 'preview':
        return 'record' in preview
          ? { kind: 'confirmVerify' as const, verify: preview }
          : { kind: 'confirmUnlock' as const, unlock: preview }
    }
  }
  const result = await applyReviewAction(db, user, id, request_, context)
  switch (result.kind) {
    case 'done':
      return { kind: 'done' as const, status: result.status, intent: request_.intent }
    case 'not_found':
      throw notFound()
    case 'invalid':
      return data(failure(result.error, null, result.detail), { status: 400 })
    case 'wrong_state':
      return data(failure('wrong_state', result.status), { status: 409 })
    case 'stale':
      return data(failure('stale'), { status: 409 })
  }
}

function failure(error: string, status: string | null = null, detail: string | null = null) {
  return { kind: 'error' as const, error, status, detail }
}

type ActionData = NonNullable<ReturnType<typeof useActionData<typeof action>>>

export const handle: RouteI18n = { i18n: ['results', 'review', 'rounds'] }

export default function ReviewPage() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, i18n } = useTranslation('review')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  const { t: tr } = useTranslation('rounds')
  const messageRef = useFocusOnShow<HTMLDivElement>(result)
  const a = page.assessment
  const submitted = a.status === 'submitted'
  return (
    <>
      <h1>{t('page.title', { name: page.facility.name })}</h1>
      <p>
        {t('page.status', { status: tc(`assessmentStatus.${a.status}`), round: a.round })} ·{' '}
        {page.facility.code}
        {page.canExtend ? (
          <>
            {' · '}
            <Link to={`/facilities/${page.facility.id}/extension?round=${a.roundId}`}>
              {tr('extension.link')}
            </Link>
          </>
        ) : null}
      </p>
      {page.score ? (
        <p>
          {t('page.score', {
            composite: num(page.score.composite, 2),
            level: `${page.score.level} · ${page.score.levelTitle}`,
            completeness: num(page.score.completeness * 100),
          })}
          {page.score.failedGates.length > 0
            ? ` · ${t('page.failedGates', { gates: page.score.failedGates.join('; ') })}`
            : ''}
        </p>
      ) : null}
      {page.verifiedScore ? (
        <p data-testid="verified-score">
          {t('page.verifiedScore', {
            composite: num(page.verifiedScore.composite, 2),
            level: `${page.verifiedScore.level} · ${page.verifiedScore.levelTitle}`,
            count: page.verifiedScore.fromVerifiedValues,
          })}
        </p>
      ) : (
        <p className="muted">{t('page.basisDeclared', { count: page.verifiedCount })}</p>
      )}
      <div ref={messageRef} tabIndex={-1} className="focus-target">
        {result ? <ActionResult result={result} assessmentId={a.id} /> : null}
      </div>
      <section className="card" aria-labelledby="data-quality" data-testid="data-quality">
        <h2 id="data-quality">{t('dataQuality.title')}</h2>
        {page.dataQuality.ruleCount === 0 ? (
          <p className="muted">{t('dataQuality.noRules', { model: page.dataQuality.model })}</p>
        ) : page.dataQuality.declared.length === 0 ? (
          <p className="muted">{t('dataQuality.none')}</p>
        ) : (
          <ul>
            {page.dataQuality.declared.map((h) => (
              <li key={h.id}>
                <strong>{h.id}</strong>{' '}
                {h.effect === 'refuse' ? (
                  <span className="badge">{t('dataQuality.refused')}</span>
                ) : null}{' '}
                {h.message} <span className="muted">— {h.question}</span>
              </li>
            ))}
          </ul>
        )}
        {page.dataQuality.verified ? (
          <p className="muted">
            {page.dataQuality.verified.length === 0
              ? t('dataQuality.verifiedNone')
              : t('dataQuality.verifiedStill', {
                  list: page.dataQuality.verified.map((h) => h.id).join(', '),
                })}
          </p>
        ) : null}
      </section>
      {page.comments.length > 0 ? (
        <section className="card" aria-labelledby="open-comments">
          <h2 id="open-comments">{t('page.comments')}</h2>
          <ul>
            {page.comments.map((c) => (
              <li key={c.id}>
                <strong>{c.question ?? t('page.general')}</strong>: {c.body}{' '}
                <span className="muted">— {c.author}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Form method="post" className="review-form">
        <input type="hidden" name="version" value={a.version} />
        {page.domains.map((d) => (
          <section key={d.id} className="card" aria-labelledby={`d-${d.id}`}>
            <h2 id={`d-${d.id}`}>
              {d.title} {d.score === null ? '' : `— ${num(d.score * 100, 1)}`}
            </h2>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('page.question')}</th>
                    <th scope="col">{t('page.answer')}</th>
                    <th scope="col" className="num">
                      {t('page.itemScore')}
                    </th>
                    <th scope="col">{t('verified.column')}</th>
                    {submitted ? <th scope="col">{t('page.comment')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">
                        {i.question}{' '}
                        {i.gate ? <span className="badge">{t('page.gate')}</span> : null}
                        {i.evidenceRef ? (
                          <div className="muted">
                            {t('page.evidenceRef', { ref: i.evidenceRef })}
                          </div>
                        ) : null}
                      </th>
                      <td>{i.answer}</td>
                      <td className="num">
                        {!i.scored ? '—' : i.score === null ? t('page.na') : num(i.score, 2)}
                      </td>
                      <td>
                        {i.verified ? (
                          <div data-testid={`verified-${i.id}`}>
                            {i.verified.superseded ? (
                              <p className="notice">{t('verified.superseded')}</p>
                            ) : null}
                            <strong className={i.verified.superseded ? 'muted' : undefined}>
                              {i.verified.answer}
                            </strong>
                            <div className="muted">
                              {t('verified.by', {
                                reviewer: i.verified.reviewer,
                                reason: i.verified.reason,
                              })}
                            </div>
                          </div>
                        ) : null}
                        {submitted ? <VerifiedValueInput item={i} /> : null}
                      </td>
                      {submitted ? (
                        <td>
                          <label className="visually-hidden" htmlFor={`c-${i.id}`}>
                            {t('page.comment')}: {i.question}
                          </label>
                          <textarea
                            id={`c-${i.id}`}
                            name={`comment.${i.id}`}
                            rows={1}
                            maxLength={5000}
                          />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))}
        <section className="card" aria-labelledby="evidence-title">
          <h2 id="evidence-title">{t('page.evidence')}</h2>
          {page.evidence.length === 0 ? <p>{t('page.noEvidence')}</p> : null}
          <ul>
            {page.evidence.map((e) => (
              <li key={e.id}>
                {e.question}:{' '}
                <a href={`/evidence/${e.id}`} target="_blank" rel="noreferrer">
                  {e.file_name}
                </a>{' '}
                <span className="muted">
                  {t('page.evidenceBy', {
                    name: e.uploaded_by_name,
                    at: formatDateTime(e.uploaded_at, i18n.language),
                  })}
                </span>
                <details className="support">
                  <summary>{t('support.summary')}</summary>
                  <code className="wrap">SHA-256 {e.sha256}</code>
                </details>
              </li>
            ))}
          </ul>
          <h2>{t('page.history')}</h2>
          {page.history.length === 0 ? <p>{t('page.noHistory')}</p> : null}
          <ul>
            {page.history.map((h) => (
              <li key={h.round}>
                {h.round}: {h.compositeBp === null ? '—' : num(h.compositeBp / 100, 1)} (
                {h.level ?? '—'}, {tc(`assessmentStatus.${h.status}`)})
              </li>
            ))}
          </ul>
        </section>
        {submitted ? (
          <section className="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{t('actions.return')}</h2>
            <p className="muted">{t('actions.returnHelp')}</p>
            <div className="field">
              <label htmlFor="general">{t('page.general')}</label>
              <textarea id="general" name="general" rows={3} maxLength={5000} />
            </div>
            <p className="actions">
              <button type="submit" name="intent" value="return" className="secondary">
                {t('actions.return')}
              </button>{' '}
              <button type="submit" name="intent" value="preview-verify">
                {t('actions.verify')}
              </button>
            </p>
            <p className="muted">{t('actions.verifyHelp')}</p>
          </section>
        ) : null}
      </Form>
      {/* The verified-value controls sit in the table but submit these forms (HTML `form` attribute). */}
      {submitted
        ? page.domains.flatMap((d) =>
            d.items.map((i) => (
              <Form key={i.id} method="post" id={`vv-${i.id}`} hidden>
                <input type="hidden" name="intent" value="verified-value" />
                <input type="hidden" name="version" value={a.version} />
                <input type="hidden" name="question" value={i.id} />
              </Form>
            )),
          )
        : null}
      {a.status === 'verified' ? (
        <Form method="post" className="card">
          <input type="hidden" name="version" value={a.version} />
          <div className="field">
            <label htmlFor="reason">{t('actions.reason')}</label>
            <textarea id="reason" name="reason" rows={2} required maxLength={2000} />
          </div>
          <button type="submit" name="intent" value="preview-unlock">
            {t('actions.unlock')}
          </button>
        </Form>
      ) : null}
    </>
  )
}

/** What the last button did: a confirmation to give, the result, or the refusal. */
function ActionResult({ result, assessmentId }: { result: ActionData; assessmentId: number }) {
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  switch (result.kind) {
    case 'done':
      return (
        <p className="notice" role="status">
          {result.intent === 'verify'
            ? t('actions.done.verified')
            : result.intent === 'verified-value'
              ? t('actions.done.value')
              : result.intent === 'unlock'
                ? t('actions.done.unlocked')
                : t('actions.done.returned')}
        </p>
      )
    case 'error':
      return (
        <p className="form-error" role="alert">
          {t(`errors.${result.error}`, {
            status: result.status ? tc(`assessmentStatus.${result.status}`) : '',
          })}
          {result.detail ? ` ${result.detail}` : ''}
        </p>
      )
    case 'confirmVerify':
      return <ConfirmVerify preview={result.verify} assessmentId={assessmentId} />
    case 'confirmUnlock':
      return <ConfirmUnlock preview={result.unlock} assessmentId={assessmentId} />
  }
}

function ConfirmVerify({
  preview,
  assessmentId,
}: {
  preview: Extract<ActionData, { kind: 'confirmVerify' }>['verify']
  assessmentId: number
}) {
  const { t } = useTranslation('review')
  const applying = preview.values.filter((v) => v.applies).length
  return (
    <section className="card confirm" aria-labelledby="confirm-title" data-testid="confirm-verify">
      <h2 id="confirm-title">{t('confirm.verifyTitle', { name: preview.facility.name })}</h2>
      <p>{t('confirm.verifyIntro', { round: preview.round })}</p>
      <dl className="facts">
        <dt>{t('confirm.declared')}</dt>
        <dd>{preview.declared ? <ScoreText score={preview.declared} /> : '—'}</dd>
        <dt>{t('confirm.record')}</dt>
        <dd data-testid="confirm-record">
          <ScoreText score={preview.record} />
        </dd>
      </dl>
      {preview.values.length === 0 ? (
        <p>{t('confirm.noValues')}</p>
      ) : (
        <>
          <p>{t('confirm.values', { count: applying })}</p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('page.question')}</th>
                  <th scope="col">{t('confirm.declaredAnswer')}</th>
                  <th scope="col">{t('verified.column')}</th>
                  <th scope="col">{t('verified.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.values.map((v) => (
                  <tr key={v.question}>
                    <th scope="row">{v.question}</th>
                    <td>{v.declared}</td>
                    <td>
                      <strong className={v.applies ? undefined : 'muted'}>{v.verified}</strong>
                      {v.applies ? null : <div className="muted">{t('confirm.superseded')}</div>}
                    </td>
                    <td>{v.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Form method="post" className="actions">
        <input type="hidden" name="version" value={preview.version} />
        <button type="submit" name="intent" value="verify">
          {t('confirm.verifyButton')}
        </button>{' '}
        <Link to={`/review/${assessmentId}`}>{t('confirm.cancel')}</Link>
      </Form>
    </section>
  )
}

function ConfirmUnlock({
  preview,
  assessmentId,
}: {
  preview: Extract<ActionData, { kind: 'confirmUnlock' }>['unlock']
  assessmentId: number
}) {
  const { t } = useTranslation('review')
  return (
    <section className="card confirm" aria-labelledby="confirm-title" data-testid="confirm-unlock">
      <h2 id="confirm-title">{t('confirm.unlockTitle', { name: preview.facility.name })}</h2>
      <p>{t('confirm.unlockIntro')}</p>
      {preview.verified ? (
        <dl className="facts">
          <dt>{t('confirm.verifiedNow')}</dt>
          <dd>
            <ScoreText score={preview.verified} />
          </dd>
        </dl>
      ) : null}
      <p>{t('confirm.unlockReason')}</p>
      <blockquote>{preview.reason}</blockquote>
      <Form method="post" className="actions">
        <input type="hidden" name="version" value={preview.version} />
        <input type="hidden" name="reason" value={preview.reason} />
        <button type="submit" name="intent" value="unlock">
          {t('confirm.unlockButton')}
        </button>{' '}
        <Link to={`/review/${assessmentId}`}>{t('confirm.cancel')}</Link>
      </Form>
    </section>
  )
}

type ReviewItem = ReturnType<
  typeof useLoaderData<typeof loader>
>['domains'][number]['items'][number]

/** A reviewer's value for one question, recorded beside the declared answer with a reason. */
function VerifiedValueInput({ item }: { item: ReviewItem }) {
  const { t } = useTranslation('review')
  const form = `vv-${item.id}`
  const id = `vv-${item.id}-value`
  const label = `${t('verified.value')}: ${item.question}`
  return (
    <details>
      <summary>{t('verified.record')}</summary>
      <div className="field">
        {item.input.kind === 'multi' ? (
          <fieldset>
            <legend className="visually-hidden">{label}</legend>
            {item.input.choices.map((c) => (
              <label key={c.value} className="choice">
                <input type="checkbox" name="value" value={c.value} form={form} /> {c.label}
              </label>
            ))}
          </fieldset>
        ) : (
          <>
            <label className="visually-hidden" htmlFor={id}>
              {label}
            </label>
            {item.input.kind === 'choice' || item.input.kind === 'boolean' ? (
              <select id={id} name="value" form={form} required defaultValue="">
                <option value="" disabled>
                  {t('verified.choose')}
                </option>
                {(item.input.kind === 'boolean'
                  ? [
                      { value: 'true', label: t('verified.yes') },
                      { value: 'false', label: t('verified.no') },
                    ]
                  : item.input.choices
                ).map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            ) : item.input.kind === 'number' ? (
              <input id={id} name="value" type="number" step="any" form={form} required />
            ) : (
              <textarea id={id} name="value" rows={2} maxLength={5000} form={form} required />
            )}
          </>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('verified.reason')}</label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          maxLength={2000}
          required
          form={form}
        />
      </div>
      <button type="submit" form={form} className="secondary">
        {t('verified.save')}
      </button>
    </details>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'review:page.metaTitle')
