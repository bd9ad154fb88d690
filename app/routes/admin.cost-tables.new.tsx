import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import {
  applyCostTableImport,
  MAX_COST_FILE_BYTES,
  newCostVersionPage,
  previewCostTableImport,
  type CostPreviewResult,
} from '../admin/cost-tables.server.ts'
import {
  ESTIMATE,
  NewCostVersionSchema,
  type CostField,
  type CostTablePreview,
  type NewCostVersion,
} from '../admin/cost-tables-file.ts'
import { forgetUpload, keepUpload, takeUpload } from '../admin/registry/page.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/)
const ApplySchema = NewCostVersionSchema.extend({
  intent: z.literal('apply'),
  sha256: HashSchema,
  planHash: HashSchema,
})

type FormErrors = Partial<Record<keyof NewCostVersion, string[]>>
type Refusal = { kind: 'refused'; reason: string; line?: number; columns?: string[] }
type Preview = Extract<CostPreviewResult, { kind: 'preview' }>
type ActionResult =
  | {
      kind: 'preview'
      fileName: string
      sha256: string
      planHash: string
      base: Preview['base']
      /** Without the new table itself: the page shows the changes, the save recomputes it. */
      preview: Omit<CostTablePreview, 'actions'>
      versionTaken: boolean
      /** The label and note as typed (echoed into the form), and their problems. */
      values: Record<keyof NewCostVersion, string>
      formErrors: FormErrors
      stale: boolean
    }
  | Refusal

const refuse = (refusal: Omit<Refusal, 'kind'>, status: number) =>
  data<ActionResult>({ kind: 'refused', ...refusal }, { status })

const text = (form: FormData, name: string) => {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}

const noteOf = (v: NewCostVersion) => ({ vi: v.noteVi, en: v.noteEn })

/** The preview as the page needs it, lighter on a slow link. */
function forPage({ actions: _actions, ...rest }: CostTablePreview) {
  return rest
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'costs:manage')
  return newCostVersionPage(getDb(), { locale: getLocale(request), today: todayInVietnam() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'costs:manage')
  const db = getDb()
  const today = todayInVietnam()
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    if (Number(request.headers.get('content-length') ?? 0) > MAX_COST_FILE_BYTES + 64 * 1024) {
      return refuse({ reason: 'tooLarge' }, 413)
    }
    let form: FormData
    try {
      form = await parseMultipartFormData(
        request,
        createMemoryUploadHandler({ maxPartSize: MAX_COST_FILE_BYTES }),
      )
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return refuse({ reason: 'tooLarge' }, 413)
      return refuse({ reason: 'noFile' }, 400)
    }
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0) return refuse({ reason: 'noFile' }, 400)
    const values = {
      version: text(form, 'version'),
      noteVi: text(form, 'noteVi'),
      noteEn: text(form, 'noteEn'),
    }
    const parsed = NewCostVersionSchema.safeParse(values)
    const next = parsed.success ? parsed.data : { version: '', noteVi: '', noteEn: '' }
    const bytes = new Uint8Array(await file.arrayBuffer())
    const result = await previewCostTableImport(
      db,
      bytes,
      { version: next.version, note: noteOf(next) },
      today,
    )
    if (result.kind === 'refused') return refuse(result, 422)
    keepUpload(user.id, result.sha256, { bytes, fileName: file.name })
    return data<ActionResult>(
      {
        ...result,
        preview: forPage(result.preview),
        fileName: file.name,
        values: parsed.success ? parsed.data : values,
        formErrors: parsed.success ? {} : z.flattenError(parsed.error).fieldErrors,
        stale: false,
      },
      { status: parsed.success ? 200 : 400 },
    )
  }
  const parsed = ApplySchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return refuse({ reason: 'badForm' }, 400)
  const { sha256, planHash, ...next } = parsed.data
  const upload = takeUpload(user.id, sha256)
  const result = await applyCostTableImport(db, {
    version: next.version,
    note: noteOf(next),
    upload,
    planHash,
    userId: user.id,
    ip: context.clientIp,
    requestId: context.requestId,
    now: nowIso(),
    today,
  })
  switch (result.kind) {
    case 'created':
      forgetUpload(user.id, sha256)
      return redirect(`/admin/cost-tables?stored=${encodeURIComponent(result.version)}`)
    case 'versionTaken':
      return refuse({ reason: 'versionTaken' }, 409)
    case 'expired':
      return refuse({ reason: 'expired' }, 410)
    case 'noChanges':
      return refuse({ reason: 'noChanges' }, 422)
    case 'stale':
    case 'errors': {
      // The current version moved since the preview: show the plan as it now stands.
      if (!upload) return refuse({ reason: 'expired' }, 410)
      const fresh = await previewCostTableImport(
        db,
        upload.bytes,
        { version: next.version, note: noteOf(next) },
        today,
      )
      if (fresh.kind === 'refused') return refuse(fresh, 422)
      return data<ActionResult>(
        {
          ...fresh,
          preview: forPage(fresh.preview),
          fileName: upload.fileName,
          values: next,
          formErrors: {},
          stale: true,
        },
        { status: 409 },
      )
    }
    case 'refused':
      return refuse(result, 422)
  }
}

function refusalMessage(t: TFunction, refusal: Omit<Refusal, 'kind'>): string {
  return t(`costs:refusals.${refusal.reason}`, {
    line: refusal.line ?? '',
    columns: (refusal.columns ?? []).join(', '),
  })
}

function FieldValue({ field, value }: { field: CostField; value: string | number }) {
  const { t } = useTranslation('costs')
  const { num } = useNumberFormat()
  if (value === '') return <>—</>
  if (typeof value === 'number') return <>{num(value)}</>
  if (field === 'source' && value === ESTIMATE) return <>{t('view.estimate')}</>
  return <>{value}</>
}

function PreviewSection({
  result,
  labels,
}: {
  result: Extract<ActionResult, { kind: 'preview' }>
  labels: Record<string, string>
}) {
  const { t } = useTranslation('costs')
  const { num } = useNumberFormat()
  const navigation = useNavigation()
  const { preview, base } = result
  const errors = preview.errors.length
  const formBlocked = Object.keys(result.formErrors).length > 0 || result.versionTaken
  const nothing = preview.changes.length === 0
  const label = (itemId: string) => labels[itemId] ?? itemId
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('new.previewTitle', { file: result.fileName })}</h2>
      <p className="muted">
        {t('new.fileInfo', {
          rows: num(preview.rows),
          format: preview.format.toUpperCase(),
          sha: result.sha256.slice(0, 16),
          base: base.version,
        })}
      </p>
      <table data-testid="cost-counts">
        <caption>{t('new.counts')}</caption>
        <tbody>
          {(['added', 'changed', 'removed', 'unchanged', 'errorRows'] as const).map((k) => (
            <tr key={k}>
              <th scope="row">{t(`new.${k}`)}</th>
              <td className="num">{num(preview.counts[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.ignoredColumns.length > 0 ? (
        <p>{t('new.ignoredColumns', { columns: preview.ignoredColumns.join(', ') })}</p>
      ) : null}
      {errors > 0 ? (
        <>
          <p className="form-error" role="alert">
            {t('new.errorsBlock', { count: errors })}
          </p>
          <h3>{t('new.errorsTitle')}</h3>
          <div
            className="table-scroll"
            role="region"
            tabIndex={0}
            aria-label={t('new.errorsTitle')}
          >
            <table data-testid="cost-errors">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('new.row')}
                  </th>
                  <th scope="col">{t('new.column')}</th>
                  <th scope="col">{t('new.value')}</th>
                  <th scope="col">{t('new.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.row}</td>
                    <td>{e.column}</td>
                    <td>
                      <code>{e.value}</code>
                    </td>
                    <td>{t(`errors.${e.error}`, e.params ?? {})}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {preview.changes.length > 0 ? (
        <>
          <h3>{t('new.changesTitle', { base: base.version })}</h3>
          <div
            className="table-scroll"
            role="region"
            tabIndex={0}
            aria-label={t('new.changesTitle', { base: base.version })}
          >
            <table data-testid="cost-changes">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('new.row')}
                  </th>
                  <th scope="col">{t('new.item')}</th>
                  <th scope="col">{t('new.kind')}</th>
                  <th scope="col">{t('new.field')}</th>
                  <th scope="col">{t('new.before')}</th>
                  <th scope="col">{t('new.after')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.changes.flatMap((c) =>
                  c.kind === 'removed'
                    ? [
                        <tr key={c.itemId}>
                          <td className="num" />
                          <td>
                            {label(c.itemId)} <code>{c.itemId}</code>
                          </td>
                          <td>{t('new.kinds.removed')}</td>
                          <td colSpan={3}>
                            {t('new.removedNote', { cost: num(c.oldCostVnd ?? 0) })}
                          </td>
                        </tr>,
                      ]
                    : c.fields.map((f, i) => (
                        <tr key={`${c.itemId}-${f.field}`}>
                          <td className="num">{i === 0 ? c.row : ''}</td>
                          <td>
                            {i === 0 ? (
                              <>
                                {label(c.itemId)} <code>{c.itemId}</code>
                              </>
                            ) : null}
                          </td>
                          <td>{i === 0 ? t(`new.kinds.${c.kind}`) : ''}</td>
                          <td>{t(`fields.${f.field}`)}</td>
                          <td>
                            <FieldValue field={f.field} value={f.old} />
                          </td>
                          <td>
                            <FieldValue field={f.field} value={f.new} />
                          </td>
                        </tr>
                      )),
                )}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {errors > 0 ? null : nothing ? (
        <p role="status">{t('new.nothingChanges', { base: base.version })}</p>
      ) : formBlocked ? (
        <p className="form-error" role="alert">
          {t('new.fixForm')}
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="sha256" value={result.sha256} />
          <input type="hidden" name="planHash" value={result.planHash} />
          <input type="hidden" name="version" value={result.values.version} />
          <input type="hidden" name="noteVi" value={result.values.noteVi} />
          <input type="hidden" name="noteEn" value={result.values.noteEn} />
          <button type="submit" disabled={navigation.state !== 'idle'}>
            {t('new.save', {
              version: result.values.version,
              changes: num(preview.changes.length),
            })}
          </button>
        </Form>
      )}
    </section>
  )
}

function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  const { t } = useTranslation('costs')
  const first = messages?.[0]
  return first ? (
    <p id={id} className="field-error">
      {t(`form.${first}`)}
    </p>
  ) : null
}

export const handle: RouteI18n = { i18n: ['costs', 'registry'] }

export default function NewCostTableVersionPage() {
  const { current, labels, unpriced } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('costs')
  const navigation = useNavigation()
  const preview = result?.kind === 'preview' ? result : null
  const values = preview?.values
  const formErrors: FormErrors = {
    ...preview?.formErrors,
    ...(preview?.versionTaken ? { version: ['versionTaken'] } : {}),
  }
  const described = (name: keyof NewCostVersion, hint: string) =>
    formErrors[name] ? `${hint} ${name}-error` : hint
  return (
    <>
      <p>
        <Link to="/admin/cost-tables">{t('new.back')}</Link>
      </p>
      <h1>{t('new.title')}</h1>
      <p>{t('new.intro')}</p>
      <p className="muted">{t('new.columns')}</p>
      {current ? (
        <p>
          {t('new.current', { version: current.version })} ·{' '}
          <a href="/admin/cost-tables/export.csv" download>
            {t('new.downloadCsv')}
          </a>{' '}
          ·{' '}
          <a href="/admin/cost-tables/export.xlsx" download>
            {t('new.downloadXlsx')}
          </a>
        </p>
      ) : (
        <p role="alert">{t('refusals.noCostTable')}</p>
      )}
      {unpriced.length > 0 ? (
        <details>
          <summary>{t('new.unpricedTitle', { count: unpriced.length })}</summary>
          <ul data-testid="cost-unpriced">
            {unpriced.map((id) => (
              <li key={id}>
                <code>{id}</code> — {labels[id] ?? id}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Form
        method="post"
        encType="multipart/form-data"
        className="card"
        key={preview?.sha256 ?? 'empty'}
      >
        <div className="field">
          <label htmlFor="cost-file">{t('new.file')}</label>
          <input
            id="cost-file"
            name="file"
            type="file"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </div>
        <div className="field">
          <label htmlFor="cost-version">{t('new.version')}</label>
          <input
            id="cost-version"
            name="version"
            required
            maxLength={40}
            defaultValue={values?.version ?? ''}
            aria-invalid={formErrors.version ? true : undefined}
            aria-describedby={described('version', 'cost-version-hint')}
          />
          <p id="cost-version-hint" className="muted">
            {t('new.versionHint')}
          </p>
          <FieldError id="version-error" messages={formErrors.version} />
        </div>
        <div className="field">
          <label htmlFor="cost-note-vi">{t('new.noteVi')}</label>
          <textarea
            id="cost-note-vi"
            name="noteVi"
            required
            maxLength={1000}
            rows={3}
            defaultValue={values?.noteVi ?? ''}
            aria-invalid={formErrors.noteVi ? true : undefined}
            aria-describedby={described('noteVi', 'cost-note-hint')}
          />
          <FieldError id="noteVi-error" messages={formErrors.noteVi} />
        </div>
        <div className="field">
          <label htmlFor="cost-note-en">{t('new.noteEn')}</label>
          <textarea
            id="cost-note-en"
            name="noteEn"
            required
            maxLength={1000}
            rows={3}
            defaultValue={values?.noteEn ?? ''}
            aria-invalid={formErrors.noteEn ? true : undefined}
            aria-describedby={described('noteEn', 'cost-note-hint')}
          />
          <p id="cost-note-hint" className="muted">
            {t('new.noteHint')}
          </p>
          <FieldError id="noteEn-error" messages={formErrors.noteEn} />
        </div>
        <button type="submit" disabled={navigation.state !== 'idle'}>
          {t('new.preview')}
        </button>
      </Form>
      {result?.kind === 'refused' ? (
        <p className="form-error" role="alert">
          {refusalMessage(t, result)}
        </p>
      ) : null}
      {preview ? (
        <>
          {preview.stale ? (
            <p className="form-error" role="alert">
              {refusalMessage(t, { reason: 'stale' })}
            </p>
          ) : null}
          <PreviewSection result={preview} labels={labels} />
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'costs:new.title')
