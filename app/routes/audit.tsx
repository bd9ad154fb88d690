import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { auditChainStatus, type ChainVerdict } from '../review/audit-chain.server.ts'
import { AuditParamsSchema, getAuditActions, getAuditPage } from '../review/audit.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit:view')
  const url = new URL(request.url)
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''))
  const parsed = AuditParamsSchema.safeParse(raw)
  const filters = {
    from: raw.from ?? '',
    to: raw.to ?? '',
    actor: raw.actor ?? '',
    action: raw.action ?? '',
    facility: raw.facility ?? '',
  }
  const db = getDb()
  // On every view, whatever page is open: a rewritten row must show.
  const chain = await auditChainStatus(db)
  if (!parsed.success) {
    return data(
      {
        chain,
        filters,
        actions: await getAuditActions(db),
        rows: [],
        olderBefore: null,
        errors: z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>,
      },
      { status: 400 },
    )
  }
  const page = await getAuditPage(db, parsed.data)
  if (page.kind === 'unknown')
    return data(
      {
        chain,
        filters,
        actions: page.actions,
        rows: [],
        olderBefore: null,
        errors: Object.fromEntries(page.unknown.map((k) => [k, ['unknown']])) as Record<
          string,
          string[] | undefined
        >,
      },
      { status: 400 },
    )
  return {
    chain,
    filters,
    actions: page.actions,
    rows: page.rows,
    olderBefore: page.olderBefore,
    errors: {} as Record<string, string[] | undefined>,
  }
}

/** The chain's state above the log: a warning naming the first broken row, or the head to keep. */
function ChainStatus({ chain }: { chain: ChainVerdict }) {
  const { t } = useTranslation()
  const { num } = useNumberFormat()
  if (!chain.ok) {
    return (
      <div className="form-error" role="alert" data-testid="audit-chain">
        <p>
          <strong>{t('auditChain.brokenTitle', { id: chain.brokenAt })}</strong>
        </p>
        <p>
          {t(`auditChain.broken.${chain.reason}`, {
            id: chain.brokenAt,
            previous: chain.previousId ?? '—',
          })}
        </p>
        <p>{t('auditChain.brokenAdvice', { rows: num(chain.rows) })}</p>
      </div>
    )
  }
  return (
    <p className="muted" data-testid="audit-chain">
      {t('auditChain.intact', { rows: num(chain.rows) })}{' '}
      {chain.head ? (
        <>
          {t('auditChain.head')}{' '}
          <code className="wrap">
            {chain.head.id}:{chain.head.hash}
          </code>
        </>
      ) : null}
    </p>
  )
}

export default function AuditPage() {
  const { chain, filters, actions, rows, olderBefore, errors } = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  const query = (patch: Record<string, string | number>) => {
    const next = new URLSearchParams()
    for (const [k, v] of Object.entries({ ...filters, ...patch }))
      if (v !== '') next.set(k, String(v))
    return `?${next.toString()}`
  }
  const fieldError = (name: string) => {
    const message = errors[name]?.[0]
    return message ? (
      <p id={`${name}-error`} className="form-error" role="alert">
        {t(`audit.errors.${message}`, { defaultValue: t('audit.errors.invalid') })}
      </p>
    ) : null
  }
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <ChainStatus chain={chain} />
      <Form method="get" className="card filters">
        <div className="grid">
          {(['from', 'to'] as const).map((name) => (
            <div className="field" key={name}>
              <label htmlFor={name}>{t(`audit.${name}`)}</label>
              <input
                id={name}
                name={name}
                type="date"
                defaultValue={filters[name]}
                aria-invalid={errors[name] ? true : undefined}
                aria-describedby={errors[name] ? `${name}-error` : undefined}
              />
              {fieldError(name)}
            </div>
          ))}
          <div className="field">
            <label htmlFor="actor">{t('audit.actor')}</label>
            <input
              id="actor"
              name="actor"
              defaultValue={filters.actor}
              placeholder="soyte.thanhhoa"
              aria-invalid={errors.actor ? true : undefined}
              aria-describedby={errors.actor ? 'actor-error' : undefined}
            />
            {fieldError('actor')}
          </div>
          <div className="field">
            <label htmlFor="action">{t('audit.action')}</label>
            <select id="action" name="action" defaultValue={filters.action}>
              <option value="">{t('list.any')}</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
            {fieldError('action')}
          </div>
          <div className="field">
            <label htmlFor="facility">{t('audit.facility')}</label>
            <input
              id="facility"
              name="facility"
              inputMode="numeric"
              defaultValue={filters.facility}
              placeholder="38001"
              aria-invalid={errors.facility ? true : undefined}
              aria-describedby={errors.facility ? 'facility-error' : undefined}
            />
            {fieldError('facility')}
          </div>
        </div>
        <button type="submit">{t('list.apply')}</button>
      </Form>
      {rows.length === 0 && Object.keys(errors).length === 0 ? <p>{t('audit.empty')}</p> : null}
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table data-testid="audit-rows">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.entity')}</th>
                <th scope="col">{t('audit.facility')}</th>
                <th scope="col">{t('audit.detail')}</th>
                <th scope="col">{t('audit.origin')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <time dateTime={r.at}>{r.at.replace('T', ' ').slice(0, 19)}</time>
                  </td>
                  <td>{r.actor_login ?? '—'}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    {r.entity_type}
                    {r.entity_id ? ` #${r.entity_id}` : ''}
                  </td>
                  <td>{r.facility_code ? `${r.facility_code} ${r.facility_name ?? ''}` : '—'}</td>
                  <td>
                    <code className="wrap">{r.detail_json}</code>
                  </td>
                  <td className="muted">
                    {r.ip ?? '—'}
                    {r.request_id ? <div>{r.request_id}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav aria-label={t('list.pages')} className="pager">
        <Link to={query({})}>{t('audit.newest')}</Link>{' '}
        {olderBefore !== null ? (
          <Link to={query({ before: olderBefore })}>{t('audit.older')}</Link>
        ) : null}
      </nav>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Nhật ký kiểm toán · Sẵn Sàng' }]
