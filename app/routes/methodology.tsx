import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getMethodologyPage } from '../assessment/methodology.server.ts'
import { getI18n, type RouteI18n } from '../i18n.ts'
import { notFound } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { todayInVietnam } from '../utils/time.server.ts'

/** `?round=ID`: that round's method; none (or blank) is the current round's. */
const MethodologyParamsSchema = z.object({
  round: z.union([z.literal(''), z.coerce.number().int().positive()]).optional(),
})

/** Public and read-only: anyone may see how scores are computed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = getLocale(request)
  const params = MethodologyParamsSchema.safeParse(
    Object.fromEntries(new URL(request.url).searchParams),
  )
  if (!params.success) throw notFound()
  const roundId = typeof params.data.round === 'number' ? params.data.round : null
  const page = await getMethodologyPage(getDb(), locale, getI18n(locale).t, {
    roundId,
    today: todayInVietnam(),
  })
  if (page === undefined) throw notFound()
  return { page }
}

export const handle: RouteI18n = { i18n: ['methodology'] }

export default function MethodologyPage() {
  const { page } = useLoaderData<typeof loader>()
  const { t } = useTranslation('methodology')
  const format = useNumberFormat()
  // Small weights keep a decimal: 2.5 % would otherwise read as 3 %.
  const pct = (n: number) => format.pct(n, n * 100 < 10 ? 1 : 0)
  if (!page) return <p>{t('noModel')}</p>
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {page.round ? (
        <Form method="get" className="card filters">
          <label htmlFor="methodology-round">{t('round.label')}</label>{' '}
          <select id="methodology-round" name="round" defaultValue={page.round.id}>
            {page.rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit">{t('round.show')}</button>
          <p className="muted" data-testid="methodology-round">
            {t('round.shown', { name: page.round.name })}
          </p>
        </Form>
      ) : null}
      <p className="muted">
        {page.model.title} —{' '}
        {t('model', {
          id: page.model.id,
          version: page.model.version,
          questionnaire: page.model.questionnaireVersion,
        })}
      </p>
      <section className="card" aria-labelledby="formulas-title">
        <h2 id="formulas-title">{t('formulas.title')}</h2>
        <ul>
          <li>{t('formulas.item')}</li>
          <li>{t('formulas.domain')}</li>
          <li>{t('formulas.composite')}</li>
          <li>{t('formulas.missing')}</li>
          <li>
            {t('formulas.completeness', {
              threshold: format.num(page.model.completenessThreshold * 100),
            })}
          </li>
          <li>{t('formulas.level')}</li>
          {page.method
            .filter((m) => m.kind === 'levelBasis')
            .map((m) => (
              <li key={m.id}>{m.detail}</li>
            ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="levels-title">
        <h2 id="levels-title">{t('levels.title')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('levels.title')}</th>
              <th scope="col" className="num">
                {t('levels.min')}
              </th>
              <th scope="col">{t('levels.gates')}</th>
              <th scope="col">{t('levels.floors')}</th>
            </tr>
          </thead>
          <tbody>
            {page.levels.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  {l.id} · {l.title}
                  <div className="muted">{l.description}</div>
                </th>
                <td className="num">{l.minComposite}</td>
                <td>{l.gateIds.length ? l.gateIds.join(', ') : t('levels.none')}</td>
                <td className="wrap">{l.floors ?? t('levels.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="gates-title">
        <h2 id="gates-title">{t('gates.title')}</h2>
        <ul className="gate-list">
          {page.gates.map((g) => (
            <li key={g.id}>
              <strong>
                {g.id} · {g.title}
              </strong>{' '}
              — {g.enabled ? t('gates.enabled') : t('gates.disabled')}
              {g.configurable ? ` · ${t('gates.configurable')}` : ''}
              {g.enabled !== g.modelEnabled ? ` · ${t('round.gateSwitched')}` : ''}
              <p>{g.description}</p>
              <p className="muted">
                {t('gates.condition')}: {g.condition.target} —{' '}
                {t('gates.minScore', { min: g.condition.minScore })} · {g.source}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="priority-title">
        <h2 id="priority-title">{t('priority.title')}</h2>
        <p>
          {t('priority.intro', {
            id: page.priorityModel.id,
            version: page.priorityModel.version,
          })}
        </p>
        {page.method
          .filter((m) => m.kind === 'priority')
          .map((m) => (
            <p key={m.id}>{m.detail}</p>
          ))}
        {(['need', 'feasibility'] as const).map((kind) => (
          <div key={kind}>
            <h3>{t(`priority.${kind}`)}</h3>
            <ul>
              {page.method
                .filter((m) => m.kind === kind)
                .map((m) => (
                  <li key={m.id}>
                    <strong>
                      {t('priority.weight', {
                        weight: typeof m.value === 'number' ? format.num(m.value, 2) : '',
                      })}
                    </strong>
                    : {m.detail}
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </section>
      <section className="card" aria-labelledby="ranking-title">
        <h2 id="ranking-title">{t('ranking.title')}</h2>
        {page.method
          .filter((m) => m.kind === 'ranking')
          .map((m) => (
            <p key={m.id}>{m.detail}</p>
          ))}
      </section>
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">{t('dataQuality.title')}</h2>
        <p>{t('dataQuality.intro')}</p>
        {page.method.some((m) => m.kind === 'rule') ? (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dataQuality.rule')}</th>
                  <th scope="col">{t('dataQuality.effect')}</th>
                  <th scope="col">{t('items.question')}</th>
                  <th scope="col">{t('dataQuality.message')}</th>
                </tr>
              </thead>
              <tbody>
                {page.method
                  .filter((m) => m.kind === 'rule')
                  .map((m) => (
                    <tr key={m.id}>
                      <th scope="row">{m.id}</th>
                      <td>{m.title}</td>
                      <td>{m.value}</td>
                      <td className="wrap">{m.detail}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t('dataQuality.none')}</p>
        )}
      </section>
      <section aria-labelledby="domains-title">
        <h2 id="domains-title">{t('domains.title')}</h2>
        {page.domains.map((d) => (
          <section key={d.id} className="card" aria-labelledby={`domain-${d.id}`}>
            <h3 id={`domain-${d.id}`}>
              {d.title} — {t('domains.weight')} {pct(d.weight)} ·{' '}
              {t('domains.items', { count: d.items.length })}
            </h3>
            <p className="muted">{d.rationale}</p>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('items.question')}</th>
                    <th scope="col" className="num">
                      {t('items.weight')}
                    </th>
                    <th scope="col">{t('items.rule')}</th>
                    <th scope="col">{t('items.source')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">
                        {i.question}
                        <div className="muted">{i.rationale}</div>
                        <div className="muted">
                          {[
                            i.allowNotApplicable && t('items.na'),
                            i.allowDontKnow && t('items.dontKnow'),
                            i.evidenceRequired && t('items.evidence'),
                          ]
                            .filter(Boolean)
                            .join(' · ')}
                        </div>
                      </th>
                      <td className="num">{pct(i.weight)}</td>
                      <td>{i.rule}</td>
                      <td>{i.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))}
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'methodology:title')
