import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { ROLES } from '../../db/schema.ts'
import { foldSearchKey } from '../../db/text.ts'
import { allProvinces } from '../admin/form.server.ts'
import { USER_STATUSES } from '../admin/user-input.ts'
import { countUsers, listUsers } from '../models/user.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const PAGE_SIZE = 50

const UserListParamsSchema = z.object({
  q: z.string().max(100).optional(),
  role: z.enum(ROLES).optional(),
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  facility: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,20}$/)
    .optional(),
  status: z.enum(USER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'users:manage')
  const url = new URL(request.url)
  // Blank selects mean "any"; anything malformed falls back to the defaults, never trusted.
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''))
  const parsed = UserListParamsSchema.safeParse(raw)
  const params = parsed.success ? parsed.data : UserListParamsSchema.parse({})
  const db = getDb()
  const query = {
    search: params.q ? foldSearchKey(params.q) : undefined,
    role: params.role,
    province: params.province,
    facilityCode: params.facility,
    status: params.status,
    page: params.page,
    pageSize: PAGE_SIZE,
  }
  const [rows, total, provinces] = await Promise.all([
    listUsers(db, query),
    countUsers(db, query),
    allProvinces(db),
  ])
  return { rows, total, params, provinces, pageSize: PAGE_SIZE, invalid: !parsed.success }
}

export const handle: RouteI18n = { i18n: ['admin'] }

export default function UsersPage() {
  const { rows, total, params, provinces, pageSize, invalid } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  const { t: tc } = useTranslation()
  const { dateTime } = useDateFormat()
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const link = (patch: Record<string, string | number>) => {
    const next = new URLSearchParams()
    for (const [k, v] of Object.entries({ ...params, ...patch }))
      if (v !== undefined && v !== '') next.set(k, String(v))
    return `?${next.toString()}`
  }
  return (
    <>
      <h1>{t('list.title')}</h1>
      <p className="actions">
        <Link className="button" to="/admin/users/new">
          {t('list.new')}
        </Link>{' '}
        <Link to="/admin/users/import">{t('list.import')}</Link>
      </p>
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
              placeholder="nguyen"
            />
          </div>
          <div className="field">
            <label htmlFor="role">{t('fields.role')}</label>
            <select id="role" name="role" defaultValue={params.role ?? ''}>
              <option value="">{t('list.any')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tc(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="province">{t('fields.province')}</label>
            <select id="province" name="province" defaultValue={params.province ?? ''}>
              <option value="">{t('list.any')}</option>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="facility">{t('fields.facilityCode')}</label>
            <input id="facility" name="facility" defaultValue={params.facility ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="status">{t('list.status')}</label>
            <select id="status" name="status" defaultValue={params.status ?? ''}>
              <option value="">{t('list.any')}</option>
              {USER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">{t('list.apply')}</button>
      </Form>
      <p data-testid="user-count">{t('list.count', { count: total })}</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('fields.displayName')}</th>
              <th scope="col">{t('fields.login')}</th>
              <th scope="col">{t('fields.role')}</th>
              <th scope="col">{t('list.scope')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.twoFactor')}</th>
              <th scope="col">{t('list.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <Link to={`/admin/users/${r.id}`}>{r.display_name}</Link>
                </th>
                <td>{r.login}</td>
                <td>{tc(`roles.${r.role}`)}</td>
                <td>
                  {r.facility_name
                    ? `${r.facility_name} (${r.facility_code})`
                    : (r.province_name ?? t('list.national'))}
                </td>
                <td>
                  {t(`status.${r.disabled ? 'disabled' : r.has_password ? 'active' : 'invited'}`)}
                </td>
                <td>{r.totp_enrolled_at ? t('list.on') : '—'}</td>
                <td>{r.last_seen_at ? dateTime(r.last_seen_at) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'admin:list.title')
