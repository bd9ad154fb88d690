import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { linkOrigin } from '../account/links.server.ts'
import { getI18n, type RouteI18n } from '../i18n.ts'
import {
  applyRows,
  BULK_MAX_BYTES,
  BULK_MAX_ROWS,
  emailLinksInBackground,
  previewRows,
  RawRowSchema,
  readUserFile,
  type CreatedLink,
  type PreviewRow,
} from '../admin/bulk.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'

const RowsSchema = z.array(RawRowSchema).min(1).max(BULK_MAX_ROWS)
const jsonField = <T extends z.ZodType>(schema: T, value: FormDataEntryValue | null) => {
  if (typeof value !== 'string') return null
  try {
    const parsed = schema.safeParse(JSON.parse(value))
    return parsed.success ? (parsed.data as z.infer<T>) : null
  } catch {
    return null
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'users:manage')
  return { maxRows: BULK_MAX_ROWS, maxMb: BULK_MAX_BYTES / 1024 / 1024 }
}

/** What the page shows of a checked row. */
type PreviewView = Pick<PreviewRow, 'line' | 'raw' | 'errors'>
const view = (rows: PreviewRow[]): PreviewView[] =>
  rows.map(({ line, raw, errors }) => ({ line, raw, errors }))

type Outcome = {
  error: string | null
  preview: PreviewView[] | null
  created: CreatedLink[] | null
  emailing: boolean
}
const outcome = (o: Partial<Outcome>, status = 200) =>
  data<Outcome>({ error: null, preview: null, created: null, emailing: false, ...o }, { status })

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'users:manage')
  // Refused before reading: the form is a file of at most 2 MB and its rows.
  const length = Number(request.headers.get('content-length') ?? '0')
  if (length > BULK_MAX_BYTES * 3) return outcome({ error: 'fileTooLarge' }, 413)
  const form = await request.formData().catch(() => null)
  if (!form) return outcome({ error: 'badRequest' }, 400)
  const db = getDb()
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  switch (form.get('intent')) {
    case 'preview': {
      const file = form.get('file')
      if (!(file instanceof File) || file.size === 0) return outcome({ error: 'fileMissing' }, 400)
      const read = await readUserFile(Buffer.from(await file.arrayBuffer()))
      if (!read.ok) return outcome({ error: read.error }, 400)
      const preview = await previewRows(db, read.rows)
      const bad = preview.some((r) => r.errors.length > 0)
      return outcome(
        { preview: view(preview), error: bad ? 'rowsHaveErrors' : null },
        bad ? 422 : 200,
      )
    }
    case 'apply': {
      const rows = jsonField(RowsSchema, form.get('rows'))
      if (!rows) return outcome({ error: 'badRequest' }, 400)
      const result = await applyRows(db, actor.id, rows, linkOrigin(request), meta)
      if (result.kind === 'invalid')
        return outcome({ preview: view(result.preview), error: 'rowsHaveErrors' }, 422)
      const emailing = emailLinksInBackground(
        db,
        actor.id,
        result.links,
        meta,
        (lang) => getI18n(lang).t,
      )
      return outcome({ created: result.links, emailing }, 201)
    }
    default:
      return outcome({ error: 'badRequest' }, 400)
  }
}

function PreviewTable({ rows }: { rows: PreviewView[] }) {
  const { t } = useTranslation('admin')
  const { t: tc } = useTranslation()
  return (
    <div className="table-scroll">
      <table data-testid="import-preview">
        <thead>
          <tr>
            <th scope="col">{t('import.line')}</th>
            <th scope="col">{t('fields.login')}</th>
            <th scope="col">{t('fields.displayName')}</th>
            <th scope="col">{t('fields.role')}</th>
            <th scope="col">{t('list.scope')}</th>
            <th scope="col">{t('import.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line} className={r.errors.length ? 'row-error' : undefined}>
              <td>{r.line}</td>
              <th scope="row">{r.raw.login}</th>
              <td>{r.raw.displayName}</td>
              <td>{tc(`roles.${r.raw.role}`, { defaultValue: r.raw.role })}</td>
              <td>{r.raw.facilityCode || r.raw.provinceCode || '—'}</td>
              <td>
                {r.errors.length === 0
                  ? t('import.ok')
                  : r.errors.map((e) => t(`errors.${e.error}`)).join(' ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export const handle: RouteI18n = { i18n: ['account', 'admin'] }

export default function ImportUsersPage() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('admin')
  const { dateTime } = useDateFormat()
  const busy = navigation.state === 'submitting'
  const preview = actionData?.preview ?? null
  const ready = preview !== null && preview.every((r) => r.errors.length === 0)
  const created = actionData?.created ?? null
  return (
    <>
      <p>
        <Link to="/admin/users">{t('list.back')}</Link>
      </p>
      <h1>{t('import.title')}</h1>
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {t(`errors.${actionData.error}`, { max: loaded.maxRows })}
        </p>
      ) : null}
      {created ? (
        <section className="card" aria-labelledby="created-title">
          <h2 id="created-title">{t('import.created', { count: created.length })}</h2>
          <p>
            {t('import.createdIntro', {
              expires: created[0] ? dateTime(created[0].expiresAt) : '',
            })}
          </p>
          {actionData?.emailing ? <p>{t('import.emailing')}</p> : null}
          <Form
            method="post"
            action="/admin/users/import/download"
            reloadDocument
            className="actions"
          >
            <input type="hidden" name="links" value={JSON.stringify(created)} />
            <button type="submit" name="format" value="csv">
              {t('import.downloadCsv')}
            </button>{' '}
            <button type="submit" name="format" value="xlsx">
              {t('import.downloadXlsx')}
            </button>
          </Form>
        </section>
      ) : (
        <section className="card form" aria-labelledby="upload-title">
          <h2 id="upload-title">{t('import.upload')}</h2>
          <p>{t('import.intro', { max: loaded.maxRows })}</p>
          <p className="muted">{t('import.columnsHelp')}</p>
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="preview" />
            <div className="field">
              <label htmlFor="file">{t('import.file')}</label>
              <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
            </div>
            <button type="submit" disabled={busy}>
              {t('import.check')}
            </button>
          </Form>
        </section>
      )}
      {preview && !created ? (
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">
            {ready
              ? t('import.readyTitle', { count: preview.length })
              : t('import.errorsTitle', {
                  count: preview.filter((r) => r.errors.length > 0).length,
                })}
          </h2>
          {ready ? (
            <Form method="post">
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="rows" value={JSON.stringify(preview.map((r) => r.raw))} />
              <button type="submit" disabled={busy}>
                {t('import.apply', { count: preview.length })}
              </button>
            </Form>
          ) : (
            <p>{t('import.fixAndRetry')}</p>
          )}
          <PreviewTable rows={preview} />
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'admin:import.title')
