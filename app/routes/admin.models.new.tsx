import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import type { Problem } from '../admin/models/compatibility.ts'
import {
  MAX_MODEL_FILE_BYTES,
  uploadVersions,
  type UploadInput,
} from '../admin/models/upload.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { nowIso } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

const VersionSchema = z.string().regex(/^\d+\.\d+\.\d+$/)

type Part = 'questionnaire' | 'model'
type Refusal =
  | { kind: 'refused'; reason: 'empty' | 'versionRequired' | 'tooLarge' }
  | { kind: 'refused'; reason: 'both' | 'notUtf8'; what: Part }
  | { kind: 'refused'; reason: 'badVersion'; version: string }
  | { kind: 'refused'; reason: 'duplicate'; what: Part; version: string }
  | { kind: 'refused'; reason: 'unknownQuestionnaire'; version: string }
  | { kind: 'refused'; reason: 'invalid'; problems: Problem[] }

const refuse = (refusal: Refusal, status: number) => data(refusal, { status })

/** One part's JSON text from its file input or its textarea (never both), or why not. */
async function readPart(
  form: FormData,
  what: Part,
): Promise<{ text: string | null } | { refusal: Refusal; status: number }> {
  const file = form.get(`${what}File`)
  const pasted = form.get(`${what}Text`)
  const text = typeof pasted === 'string' && pasted.trim() !== '' ? pasted : null
  const upload = file instanceof File && file.size > 0 ? file : null
  if (upload && text !== null)
    return { refusal: { kind: 'refused', reason: 'both', what }, status: 400 }
  if (upload) {
    if (upload.size > MAX_MODEL_FILE_BYTES) {
      return { refusal: { kind: 'refused', reason: 'tooLarge' }, status: 413 }
    }
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(await upload.arrayBuffer()) }
    } catch {
      return { refusal: { kind: 'refused', reason: 'notUtf8', what }, status: 400 }
    }
  }
  if (text !== null && new TextEncoder().encode(text).byteLength > MAX_MODEL_FILE_BYTES) {
    return { refusal: { kind: 'refused', reason: 'tooLarge' }, status: 413 }
  }
  return { text }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'models:manage')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'models:manage')
  const form = await request.formData()
  const questionnaire = await readPart(form, 'questionnaire')
  if ('refusal' in questionnaire) return refuse(questionnaire.refusal, questionnaire.status)
  const model = await readPart(form, 'model')
  if ('refusal' in model) return refuse(model.refusal, model.status)
  let input: UploadInput = { questionnaire: null, model: null }
  if (questionnaire.text !== null) {
    const raw = form.get('questionnaireVersion')
    const version = typeof raw === 'string' ? raw.trim() : ''
    if (version === '') return refuse({ kind: 'refused', reason: 'versionRequired' }, 400)
    if (!VersionSchema.safeParse(version).success) {
      return refuse({ kind: 'refused', reason: 'badVersion', version: version.slice(0, 40) }, 400)
    }
    input = { ...input, questionnaire: { text: questionnaire.text, version } }
  }
  if (model.text !== null) input = { ...input, model: { text: model.text } }
  const result = await uploadVersions(getDb(), {
    ...input,
    userId: user.id,
    ip: context.clientIp,
    requestId: context.requestId,
    now: nowIso(),
  })
  switch (result.kind) {
    case 'stored':
      return redirect(
        result.model
          ? `/admin/models/preview?model=${result.model.id}`
          : '/admin/models?stored=questionnaire',
      )
    case 'empty':
      return refuse({ kind: 'refused', reason: 'empty' }, 400)
    case 'duplicate':
      return refuse(
        { kind: 'refused', reason: 'duplicate', what: result.what, version: result.version },
        409,
      )
    case 'unknownQuestionnaire':
      return refuse(
        { kind: 'refused', reason: 'unknownQuestionnaire', version: result.version },
        422,
      )
    case 'invalid':
      return refuse({ kind: 'refused', reason: 'invalid', problems: result.problems }, 422)
  }
}

function RefusalMessage({ refusal }: { refusal: Refusal }) {
  const { t } = useTranslation('models')
  const what = 'what' in refusal ? t(`what.${refusal.what}`) : ''
  return (
    <div role="alert">
      <p className="form-error">
        {refusal.reason === 'invalid'
          ? t('refusal.invalid', { count: refusal.problems.length })
          : t(`refusal.${refusal.reason}`, {
              what,
              version: 'version' in refusal ? refusal.version : '',
            })}
      </p>
      {refusal.reason === 'invalid' ? (
        <div className="table-scroll">
          <table data-testid="upload-problems">
            <thead>
              <tr>
                <th scope="col">{t('problem.problem')}</th>
                <th scope="col">{t('problem.where')}</th>
                <th scope="col">{t('problem.expected')}</th>
                <th scope="col">{t('problem.found')}</th>
              </tr>
            </thead>
            <tbody>
              {refusal.problems.map((p, i) => (
                <tr key={i}>
                  <td>{t(`problems.${p.code}`, { item: p.item })}</td>
                  <td>
                    <code>{p.item}</code>
                  </td>
                  <td>
                    <code>{p.expected}</code>
                  </td>
                  <td>
                    <code>{p.found}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  )
}

function PartFields({ what }: { what: Part }) {
  const { t } = useTranslation('models')
  return (
    <>
      <div className="field">
        <label htmlFor={`${what}-file`}>{t('upload.file')}</label>
        <input
          id={`${what}-file`}
          name={`${what}File`}
          type="file"
          accept=".json,application/json"
        />
      </div>
      <div className="field">
        <label htmlFor={`${what}-text`}>{t('upload.text')}</label>
        <textarea id={`${what}-text`} name={`${what}Text`} rows={6} spellCheck={false} />
      </div>
    </>
  )
}

export const handle: RouteI18n = { i18n: ['models'] }

export default function UploadModelPage() {
  const refusal = useActionData<typeof action>()
  const { t } = useTranslation('models')
  const navigation = useNavigation()
  return (
    <>
      <p>
        <Link to="/admin/models">{t('upload.back')}</Link>
      </p>
      <h1>{t('upload.title')}</h1>
      <p>{t('upload.intro')}</p>
      <p className="muted">{t('upload.rules')}</p>
      {refusal ? <RefusalMessage refusal={refusal} /> : null}
      <Form method="post" encType="multipart/form-data" className="card">
        <fieldset>
          <legend>{t('upload.questionnaireLegend')}</legend>
          <div className="field">
            <label htmlFor="questionnaire-version">{t('upload.questionnaireVersion')}</label>
            <input
              id="questionnaire-version"
              name="questionnaireVersion"
              inputMode="decimal"
              pattern="\d+\.\d+\.\d+"
              autoComplete="off"
            />
          </div>
          <PartFields what="questionnaire" />
        </fieldset>
        <fieldset>
          <legend>{t('upload.modelLegend')}</legend>
          <PartFields what="model" />
        </fieldset>
        <button type="submit" disabled={navigation.state !== 'idle'}>
          {t('upload.submit')}
        </button>
      </Form>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'models:upload.title')
