import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getI18n } from '../i18n.ts'
import { getReviewPage } from '../review/page.server.ts'
import { applyReviewAction, parseReviewForm } from '../review/review.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'

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
  return page
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
    return data({ ok: false, error: reason, status: null }, { status: 400 })
  }
  const result = await applyReviewAction(
    getDb(),
    user,
    parsedParams.data.assessmentId,
    parsed.data,
    context,
  )
  switch (result.kind) {
    case 'done':
      return data({ ok: true, error: null, status: result.status })
    case 'not_found':
      throw notFound()
    case 'invalid':
      return data(
        { ok: false, error: result.error, status: null, detail: result.detail ?? null },
        { status: 400 },
      )
    case 'wrong_state':
      return data({ ok: false, error: 'wrong_state', status: result.status }, { status: 409 })
    case 'stale':
      return data({ ok: false, error: 'stale', status: null }, { status: 409 })
  }
}

export default function ReviewPage() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  const a = page.assessment
  const submitted = a.status === 'submitted'
  return (
    <>
      <h1>{t('page.title', { name: page.facility.name })}</h1>
      <p>
        {t('page.status', { status: tc(`assessmentStatus.${a.status}`), round: a.round })} ·{' '}
        {page.facility.code}
      </p>
      {page.score ? (
        <p>
          {t('page.score', {
            composite: num(page.score.composite, 2),
            level: page.score.level,
            completeness: num(page.score.completeness * 100),
          })}
          {page.score.failedGates.length > 0
            ? ` · ${t('page.failedGates', { gates: page.score.failedGates.join(', ') })}`
            : ''}
        </p>
      ) : null}
      {page.verifiedScore ? (
        <p data-testid="verified-score">
          {t('page.verifiedScore', {
            composite: num(page.verifiedScore.composite, 2),
            level: page.verifiedScore.level,
            count: page.verifiedScore.fromVerifiedValues,
          })}
        </p>
      ) : (
        <p className="muted">{t('page.basisDeclared', { count: page.verifiedCount })}</p>
      )}
      {result?.ok ? (
        <p className="notice" role="status">
          {result.status === 'verified'
            ? t('actions.done.verified')
            : result.status === 'submitted'
              ? t('actions.done.value')
              : t('actions.done.returned')}
        </p>
      ) : null}
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {t(`errors.${result.error}`, {
            status: result.status ? tc(`assessmentStatus.${result.status}`) : '',
          })}
          {'detail' in result && result.detail ? ` ${result.detail}` : ''}
        </p>
      ) : null}
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
                <span className="muted">sha256 {e.sha256.slice(0, 12)}…</span>
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
              <button type="submit" name="intent" value="verify">
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
          <button type="submit" name="intent" value="unlock">
            {t('actions.unlock')}
          </button>
        </Form>
      ) : null}
    </>
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

export const meta: MetaFunction = () => [{ title: 'Thẩm định · Sẵn Sàng' }]
