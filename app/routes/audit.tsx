import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Trans, useTranslation } from 'react-i18next'
import * as z from 'zod'
import { auditChainStatus, type ChainVerdict } from '../review/audit-chain.server.ts'
import { AuditParamsSchema, getAuditActions, getAuditPage } from '../review/audit.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDateTime } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

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

export const handle: RouteI18n = { i18n: ['review'] }

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
              <option value="">{t('audit.anyAction')}</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {t(`audit.label.${a}`, { defaultValue: a })}
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
        <ol className="audit-rows" data-testid="audit-rows">
          {rows.map((r) => (
            <AuditRow key={r.id} row={r} />
          ))}
        </ol>
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

type AuditEntry = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number]

/**
 * One row as a sentence ("Nguyễn Văn A đã xác nhận thẩm định bản tự đánh giá
 * của Bệnh viện X lúc 10:05 15/12/2025"), the facility a link; the codes,
 * the stored detail and the request's origin in a details line for support.
 */
function AuditRow({ row }: { row: AuditEntry }) {
  const { t, i18n } = useTranslation('review')
  const known = i18n.exists(`review:audit.sentence.${row.action}`)
  const facility =
    row.facility_id !== null && row.facility_name ? (
      <Link to={`/facilities/${row.facility_id}`} />
    ) : (
      <span />
    )
  return (
    <li>
      <p>
        <Trans
          t={t}
          i18nKey={known ? `audit.sentence.${row.action}` : 'audit.other'}
          values={{
            actor: row.actor_name ?? row.actor_login ?? t('audit.nobody'),
            facility: row.facility_name ?? t('audit.noFacility'),
            login: row.detail_login ?? '—',
            action: row.action,
            at: formatDateTime(row.at, i18n.language),
          }}
          components={{ actor: <strong />, facility }}
        />
      </p>
      <details className="support">
        <summary>{t('audit.support')}</summary>
        <p className="muted">
          #{row.id} · <time dateTime={row.at}>{row.at}</time> · <code>{row.action}</code>
          {row.entity_type
            ? ` · ${row.entity_type}${row.entity_id ? ` #${row.entity_id}` : ''}`
            : ''}
          {row.actor_login ? ` · ${row.actor_login}` : ''}
          {row.facility_code ? ` · ${row.facility_code}` : ''}
          {row.ip ? ` · ${row.ip}` : ''}
          {row.request_id ? ` · ${row.request_id}` : ''}
        </p>
        {row.detail_json ? <code className="wrap">{row.detail_json}</code> : null}
      </details>
    </li>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'review:audit.title')
