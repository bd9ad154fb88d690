import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { applyRegistryImport, previewRegistryImport } from '../admin/registry/import.server.ts'
import { refusalMessage, rowErrorMessage } from '../admin/registry/messages.ts'
import {
  forgetUpload,
  keepUpload,
  previewView,
  takeUpload,
  type PreviewView,
} from '../admin/registry/page.server.ts'
import { MAX_REGISTRY_BYTES } from '../admin/registry/read-file.server.ts'
import type { RegistryKey } from '../admin/registry/fields.ts'
import { listProvincesForMatching } from '../models/facility.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { nowIso } from '../utils/time.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const ApplySchema = z.object({
  intent: z.literal('apply'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
})

type Refusal = { kind: 'refused'; reason: string; line?: number; columns?: string[] }
type ActionResult = { kind: 'preview'; view: PreviewView; stale: boolean } | Refusal

const refuse = (refusal: Omit<Refusal, 'kind'>, status: number) =>
  data<ActionResult>({ kind: 'refused', ...refusal }, { status })

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'registry:manage')
  const provinces = await listProvincesForMatching(getDb())
  return { provinces: provinces.map((p) => ({ code: p.code, name: p.name })) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'registry:manage')
  const db = getDb()
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    if (Number(request.headers.get('content-length') ?? 0) > MAX_REGISTRY_BYTES + 64 * 1024) {
      return refuse({ reason: 'tooLarge' }, 413)
    }
    let form: FormData
    try {
      form = await parseMultipartFormData(
        request,
        createMemoryUploadHandler({ maxPartSize: MAX_REGISTRY_BYTES }),
      )
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return refuse({ reason: 'tooLarge' }, 413)
      return refuse({ reason: 'noFile' }, 400)
    }
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0) return refuse({ reason: 'noFile' }, 400)
    const bytes = new Uint8Array(await file.arrayBuffer())
    const result = await previewRegistryImport(db, bytes)
    if (result.kind === 'refused') return refuse(result, 422)
    keepUpload(user.id, result.sha256, { bytes, fileName: file.name })
    return data<ActionResult>({
      kind: 'preview',
      view: previewView(result.preview, { fileName: file.name, ...result }),
      stale: false,
    })
  }
  const parsed = ApplySchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return refuse({ reason: 'noFile' }, 400)
  const upload = takeUpload(user.id, parsed.data.sha256)
  if (!upload) return refuse({ reason: 'expired' }, 410)
  const result = await applyRegistryImport(db, {
    bytes: upload.bytes,
    fileName: upload.fileName,
    planHash: parsed.data.planHash,
    userId: user.id,
    ip: context.clientIp,
    requestId: context.requestId,
    now: nowIso(),
  })
  switch (result.kind) {
    case 'applied': {
      forgetUpload(user.id, result.sha256)
      const c = result.counts
      return redirect(
        `/admin/facilities?imported=1&new=${c.new}&changed=${c.changed}&unchanged=${c.unchanged}`,
      )
    }
    case 'stale':
    case 'errors': {
      // The registry moved since the preview: show the plan as it now stands.
      const fresh = await previewRegistryImport(db, upload.bytes)
      if (fresh.kind === 'refused') return refuse(fresh, 422)
      return data<ActionResult>(
        {
          kind: 'preview',
          view: previewView(fresh.preview, { fileName: upload.fileName, ...fresh }),
          stale: true,
        },
        { status: 409 },
      )
    }
    case 'refused':
      return refuse(result, 422)
  }
}

function ValueCell({
  field,
  value,
  provinces,
}: {
  field: RegistryKey
  value: string | number | null
  provinces: Map<string, string>
}) {
  const { t } = useTranslation()
  if (value === null) return <>—</>
  switch (field) {
    case 'tier':
      return <>{t(`tiers.${value}`)}</>
    case 'ownership':
      return <>{t(`ownership.${value}`)}</>
    case 'emr_status':
      return <>{t(`emrStatus.${value}`)}</>
    case 'province_code':
      return <>{`${provinces.get(String(value)) ?? ''} (${value})`}</>
    default:
      return <>{value}</>
  }
}

function More({ shown, total }: { shown: number; total: number }) {
  const { t } = useTranslation('registry')
  return total > shown ? (
    <p className="muted">{t('import.more', { count: total - shown })}</p>
  ) : null
}

function Preview({ view, provinces }: { view: PreviewView; provinces: Map<string, string> }) {
  const { t } = useTranslation('registry')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  const navigation = useNavigation()
  const blocked = view.errorsTotal > 0
  const changes = view.counts.new + view.counts.changed
  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('import.previewTitle', { file: view.fileName })}</h2>
      <p className="muted">
        {t('import.fileInfo', {
          rows: num(view.rows),
          format: view.format.toUpperCase(),
          sha: view.sha256.slice(0, 16),
        })}
      </p>
      <table data-testid="registry-counts">
        <caption>{t('import.counts')}</caption>
        <tbody>
          {(['new', 'changed', 'unchanged', 'errorRows'] as const).map((k) => (
            <tr key={k}>
              <th scope="row">{t(`import.${k}`)}</th>
              <td className="num">{num(view.counts[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.ignoredColumns.length > 0 ? (
        <p>{t('import.ignoredColumns', { columns: view.ignoredColumns.join(', ') })}</p>
      ) : null}
      {view.absentColumns.length > 0 ? (
        <p className="muted">
          {t('import.absentColumns', { columns: view.absentColumns.join(', ') })}
        </p>
      ) : null}
      {blocked ? (
        <>
          <p className="form-error" role="alert">
            {t('import.errorsBlock', { count: view.errorsTotal })}
          </p>
          <h3>{t('import.errorsTitle', { count: view.errorsTotal })}</h3>
          <div className="table-scroll">
            <table data-testid="registry-errors">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('import.row')}
                  </th>
                  <th scope="col">{t('import.column')}</th>
                  <th scope="col">{t('import.value')}</th>
                  <th scope="col">{t('import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {view.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.row}</td>
                    <td>{e.column}</td>
                    <td>
                      <code>{e.value}</code>
                    </td>
                    <td>{rowErrorMessage(tc, e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More shown={view.errors.length} total={view.errorsTotal} />
        </>
      ) : null}
      {view.updatesTotal > 0 ? (
        <>
          <h3>{t('import.changesTitle', { count: view.updatesTotal })}</h3>
          <div className="table-scroll">
            <table data-testid="registry-changes">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('import.row')}
                  </th>
                  <th scope="col">{t('list.code')}</th>
                  <th scope="col">{t('list.name')}</th>
                  <th scope="col">{t('import.field')}</th>
                  <th scope="col">{t('import.before')}</th>
                  <th scope="col">{t('import.after')}</th>
                </tr>
              </thead>
              <tbody>
                {view.updates.flatMap((u) =>
                  u.changes.map((c, i) => (
                    <tr key={`${u.code}-${c.field}`}>
                      <td className="num">{i === 0 ? u.row : ''}</td>
                      <td>{i === 0 ? u.code : ''}</td>
                      <td>
                        {i === 0 ? u.name : ''} {i === 0 && u.closed ? t('import.closedNote') : ''}
                      </td>
                      <td>{t(`fields.${c.field}`)}</td>
                      <td>
                        <ValueCell field={c.field} value={c.old} provinces={provinces} />
                      </td>
                      <td>
                        <ValueCell field={c.field} value={c.new} provinces={provinces} />
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          <More shown={view.updates.length} total={view.updatesTotal} />
        </>
      ) : null}
      {view.insertsTotal > 0 ? (
        <>
          <h3>{t('import.insertsTitle', { count: view.insertsTotal })}</h3>
          <div className="table-scroll">
            <table data-testid="registry-inserts">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('import.row')}
                  </th>
                  <th scope="col">{t('list.code')}</th>
                  <th scope="col">{t('list.name')}</th>
                  <th scope="col">{t('list.province')}</th>
                  <th scope="col">{t('list.tier')}</th>
                  <th scope="col" className="num">
                    {t('list.beds')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.inserts.map((i) => (
                  <tr key={i.code}>
                    <td className="num">{i.row}</td>
                    <td>{i.code}</td>
                    <td>{i.name}</td>
                    <td>
                      <ValueCell field="province_code" value={i.province} provinces={provinces} />
                    </td>
                    <td>{tc(`tiers.${i.tier}`)}</td>
                    <td className="num">{num(i.beds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More shown={view.inserts.length} total={view.insertsTotal} />
        </>
      ) : null}
      {view.provinceNotesTotal > 0 ? (
        <details>
          <summary>{t('import.provinceNotesTitle', { count: view.provinceNotesTotal })}</summary>
          <ul>
            {view.provinceNotes.map((n) => (
              <li key={n.row}>{t('import.provinceNote', { ...n })}</li>
            ))}
          </ul>
          <More shown={view.provinceNotes.length} total={view.provinceNotesTotal} />
        </details>
      ) : null}
      {view.missingTotal > 0 ? (
        <>
          <h3>{t('import.missingTitle', { count: view.missingTotal })}</h3>
          <p className="muted">{t('import.missingNote')}</p>
          <ul data-testid="registry-missing">
            {view.missing.map((m) => (
              <li key={m.id}>
                <Link to={`/facilities/${m.id}`}>
                  {m.code} — {m.name}
                </Link>
              </li>
            ))}
          </ul>
          <More shown={view.missing.length} total={view.missingTotal} />
        </>
      ) : null}
      {blocked ? null : changes === 0 ? (
        <p role="status">{t('import.nothingToApply')}</p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="sha256" value={view.sha256} />
          <input type="hidden" name="planHash" value={view.planHash} />
          <button type="submit" disabled={navigation.state !== 'idle'}>
            {t('import.apply', { new: num(view.counts.new), changed: num(view.counts.changed) })}
          </button>
        </Form>
      )}
    </section>
  )
}

export const handle: RouteI18n = { i18n: ['registry'] }

export default function RegistryImportPage() {
  const { provinces } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation('registry')
  const { t: tc } = useTranslation()
  const navigation = useNavigation()
  const names = new Map(provinces.map((p) => [p.code, p.name]))
  return (
    <>
      <p>
        <Link to="/admin/facilities">{t('import.back')}</Link>
      </p>
      <h1>{t('import.title')}</h1>
      <p>{t('import.intro')}</p>
      <p className="muted">{t('import.columns')}</p>
      <p>
        <a href="/admin/facilities/export.csv" download>
          {t('import.template')}
        </a>
      </p>
      <Form method="post" encType="multipart/form-data" className="card">
        <div className="field">
          <label htmlFor="registry-file">{t('import.file')}</label>
          <input
            id="registry-file"
            name="file"
            type="file"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </div>
        <button type="submit" disabled={navigation.state !== 'idle'}>
          {t('import.preview')}
        </button>
      </Form>
      {result?.kind === 'refused' ? (
        <p className="form-error" role="alert">
          {refusalMessage(tc, result)}
        </p>
      ) : null}
      {result?.kind === 'preview' ? (
        <>
          {result.stale ? (
            <p className="form-error" role="alert">
              {refusalMessage(tc, { reason: 'stale' })}
            </p>
          ) : null}
          <Preview view={result.view} provinces={names} />
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'registry:import.title')
