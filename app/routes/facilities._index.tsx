import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { countFacilities, listFacilities } from '../models/facility-list.server.ts'
import { listProvinces } from '../models/facility.server.ts'
import { facilityFilterFor, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { useHydrated } from '../utils/use-hydrated.ts'
import { MAX_COMPARE, MIN_COMPARE } from '../review/compare.server.ts'
import { facilityListRequest } from '../review/facility-list.server.ts'
import { scopeExamples } from '../review/scope-examples.server.ts'
import type { RouteI18n } from '../i18n.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'facilities:view')
  const db = getDb()
  const filter = facilityFilterFor(user)
  const { params, invalid, query, domains, sortedDomain } = await facilityListRequest(
    db,
    new URL(request.url),
    getLocale(request),
  )
  const [rows, total, provinces, examples] = await Promise.all([
    listFacilities(db, filter, query),
    countFacilities(db, filter, query),
    listProvinces(db, filter),
    scopeExamples(db, filter),
  ])
  return {
    rows,
    total,
    params,
    provinces,
    domains,
    sortedDomain,
    pageSize: query.pageSize,
    invalid,
    searchExample: examples.search,
    compareLimits: { min: MIN_COMPARE, max: MAX_COMPARE },
  }
}

export const handle: RouteI18n = { i18n: ['review'] }

export default function FacilitiesPage() {
  const {
    rows,
    total,
    params,
    provinces,
    domains,
    sortedDomain,
    pageSize,
    invalid,
    searchExample,
    compareLimits,
  } = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  const pages = Math.max(1, Math.ceil(total / pageSize))
  // "Compare selected": plain checkboxes of a GET form to /compare (works without
  // JavaScript); once hydrated, a count says how many are ticked.
  const hydrated = useHydrated()
  const compareRef = useRef<HTMLFormElement>(null)
  const [picked, setPicked] = useState(0)
  const recount = () =>
    setPicked(compareRef.current?.querySelectorAll('input[name="id"]:checked').length ?? 0)
  useEffect(recount, [rows])
  const link = (patch: Record<string, string | number>) => {
    const next = new URLSearchParams()
    for (const [k, v] of Object.entries({ ...params, ...patch }))
      if (v !== undefined && v !== '') next.set(k, String(v))
    return `?${next.toString()}`
  }
  const sortLink = (sort: string) =>
    link({ sort, dir: params.sort === sort && params.dir === 'asc' ? 'desc' : 'asc', page: 1 })
  return (
    <>
      <h1>{t('list.title')}</h1>
      {invalid ? <p className="form-error">{t('list.invalid')}</p> : null}
      <Form method="get" className="card filters">
        <div className="grid">
          <div className="field">
            <label htmlFor="q">{t('list.search')}</label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={params.q ?? ''}
              placeholder={
                searchExample ? t('list.example', { example: searchExample }) : undefined
              }
            />
          </div>
          <div className="field">
            <label htmlFor="province">{t('list.province')}</label>
            <select id="province" name="province" defaultValue={params.province ?? ''}>
              <option value="">{t('list.any')}</option>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          {(
            [
              ['tier', ['central', 'provincial', 'basic'], 'tiers'],
              ['ownership', ['public', 'private'], 'ownership'],
              [
                'status',
                ['not_started', 'draft', 'submitted', 'returned', 'verified'],
                'assessmentStatus',
              ],
              ['emr', ['none', 'in_progress', 'live'], 'emrStatus'],
            ] as const
          ).map(([name, values, ns]) => (
            <div className="field" key={name}>
              <label htmlFor={name}>{t(`list.${name}`)}</label>
              <select id={name} name={name} defaultValue={params[name] ?? ''}>
                <option value="">{t('list.any')}</option>
                {values.map((v) => (
                  <option key={v} value={v}>
                    {tc(`${ns}.${v}`)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div className="field">
            <label htmlFor="level">{t('list.level')}</label>
            <select id="level" name="level" defaultValue={params.level ?? ''}>
              <option value="">{t('list.any')}</option>
              {['R0', 'R1', 'R2', 'R3', 'R4'].map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sort">{t('list.sortBy')}</label>
            <select id="sort" name="sort" defaultValue={params.sort}>
              <option value="name">{t('list.name')}</option>
              <option value="code">{t('list.code')}</option>
              <option value="composite">{t('list.composite')}</option>
              <option value="level">{t('list.level')}</option>
              {domains.map((d) => (
                <option key={d.id} value={`domain.${d.id}`}>
                  {t('list.domain', { domain: d.title })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="dir">{t('list.dir')}</label>
            <select id="dir" name="dir" defaultValue={params.dir}>
              <option value="asc">{t('list.asc')}</option>
              <option value="desc">{t('list.desc')}</option>
            </select>
          </div>
        </div>
        <button type="submit">{t('list.apply')}</button>
      </Form>
      <p data-testid="facility-count">{t('list.count', { count: total })}</p>
      <p>
        {/* The current filters and order without the page: the files hold every page. */}
        <a href={`/facilities/export.csv${link({ page: '' })}`} download>
          {t('listExport.exportCsv')}
        </a>
        {' · '}
        <a href={`/facilities/export.xlsx${link({ page: '' })}`} download>
          {t('listExport.exportXlsx')}
        </a>{' '}
        <span className="muted">{t('listExport.exportNote')}</span>
      </p>
      <p className="muted">{t('list.basisNote')}</p>
      <Form method="get" action="/compare" ref={compareRef} onChange={recount}>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.pick')}</th>
                <th scope="col">
                  <Link to={sortLink('code')}>{t('list.code')}</Link>
                </th>
                <th scope="col">
                  <Link to={sortLink('name')}>{t('list.name')}</Link>
                </th>
                <th scope="col">{t('list.province')}</th>
                <th scope="col">{t('list.tier')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col" className="num">
                  <Link to={sortLink('composite')}>{t('list.composite')}</Link>
                </th>
                <th scope="col">
                  <Link to={sortLink('level')}>{t('list.level')}</Link>
                </th>
                {sortedDomain ? (
                  <th scope="col" className="num">
                    <Link to={sortLink(`domain.${sortedDomain.id}`)}>{sortedDomain.title}</Link>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <input
                      type="checkbox"
                      name="id"
                      value={r.id}
                      aria-label={t('list.pickOne', { name: r.name })}
                    />
                  </td>
                  <td>{r.code}</td>
                  <th scope="row">
                    {r.assessment_id && r.status !== 'draft' ? (
                      <Link to={`/review/${r.assessment_id}`}>{r.name}</Link>
                    ) : (
                      <Link to={`/facilities/${r.id}`}>{r.name}</Link>
                    )}
                  </th>
                  <td>{r.province_name}</td>
                  <td>{tc(`tiers.${r.tier}`)}</td>
                  <td>{tc(`assessmentStatus.${r.status ?? 'not_started'}`)}</td>
                  <td className="num">
                    {r.composite_bp === null ? '—' : num(r.composite_bp / 100, 1)}
                  </td>
                  <td>{r.level ?? '—'}</td>
                  {sortedDomain ? (
                    <td className="num">
                      {r.domain_bp === null ? '—' : num(r.domain_bp / 100, 1)}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="actions">
          <button type="submit">{t('list.compareSelected', compareLimits)}</button>{' '}
          {hydrated ? (
            <span role="status" className={picked > compareLimits.max ? 'field-error' : 'muted'}>
              {t('list.picked', { count: picked, ...compareLimits })}
            </span>
          ) : null}
        </p>
      </Form>
      <nav aria-label={t('list.pages')} className="pager">
        {params.page > 1 ? (
          <Link to={link({ page: params.page - 1 })}>{t('list.previous')}</Link>
        ) : null}{' '}
        {t('list.page', { page: params.page, pages })}{' '}
        {params.page < pages ? (
          <Link to={link({ page: params.page + 1 })}>{t('list.next')}</Link>
        ) : null}
      </nav>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'review:list.title')
