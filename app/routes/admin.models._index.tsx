import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import {
  listQuestionnaireVersions,
  listScoringModelVersions,
} from '../models/model-version.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const StoredSchema = z.object({ stored: z.enum(['questionnaire']).optional() })

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'models:manage')
  const db = getDb()
  const [questionnaires, models] = await Promise.all([
    listQuestionnaireVersions(db),
    listScoringModelVersions(db),
  ])
  const parsed = StoredSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  return {
    questionnaires: questionnaires.map((q) => ({ ...q, rounds: Number(q.rounds ?? 0) })),
    models,
    stored: parsed.success ? (parsed.data.stored ?? null) : null,
  }
}

export const handle: RouteI18n = { i18n: ['models'] }

export default function ModelVersionsPage() {
  const { questionnaires, models, stored } = useLoaderData<typeof loader>()
  const { t } = useTranslation('models')
  const { dateTime } = useDateFormat()
  return (
    <>
      <h1>{t('list.title')}</h1>
      <p>{t('list.intro')}</p>
      {stored ? (
        <p role="status" className="notice">
          {t('list.stored', { what: t(`what.${stored}`) })}
        </p>
      ) : null}
      <p className="actions">
        <Link className="button" to="/admin/models/new">
          {t('list.upload')}
        </Link>{' '}
        <Link to="/admin/models/preview">{t('list.preview')}</Link>
      </p>
      <h2>{t('list.models')}</h2>
      <div className="table-scroll">
        <table data-testid="model-versions">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('list.id')}
              </th>
              <th scope="col">{t('list.modelId')}</th>
              <th scope="col">{t('list.version')}</th>
              <th scope="col">{t('list.hash')}</th>
              <th scope="col">{t('list.created')}</th>
              <th scope="col">{t('list.rounds')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('list.preview')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.id}>
                <td className="num">{m.id}</td>
                <td>{m.model_id}</td>
                <td>{m.version}</td>
                <td>
                  <code title={m.sha256}>{m.sha256.slice(0, 16)}…</code>
                </td>
                <td>{dateTime(m.created_at)}</td>
                <td>{m.rounds ?? t('list.none')}</td>
                <td>
                  <Link to={`/admin/models/preview?model=${m.id}`}>{t('list.preview')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('list.questionnaires')}</h2>
      <div className="table-scroll">
        <table data-testid="questionnaire-versions">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('list.id')}
              </th>
              <th scope="col">{t('list.version')}</th>
              <th scope="col">{t('list.hash')}</th>
              <th scope="col">{t('list.created')}</th>
              <th scope="col">{t('list.rounds')}</th>
            </tr>
          </thead>
          <tbody>
            {questionnaires.map((q) => (
              <tr key={q.id}>
                <td className="num">{q.id}</td>
                <td>{q.version}</td>
                <td>
                  <code title={q.sha256}>{q.sha256.slice(0, 16)}…</code>
                </td>
                <td>{dateTime(q.created_at)}</td>
                <td>{q.rounds > 0 ? t('list.roundCount', { count: q.rounds }) : t('list.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'models:list.title')
