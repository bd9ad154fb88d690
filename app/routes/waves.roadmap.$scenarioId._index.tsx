import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { RoadmapResult } from '../components/roadmap-result.tsx'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { getScenarioSetPage, ScenarioIdSchema } from '../waves/roadmap-export-route.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** A saved scenario set exactly as stored, within the viewer's scope (404 outside it). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'roadmap:view')
  const id = ScenarioIdSchema.safeParse(params)
  if (!id.success) throw notFound()
  const page = await getScenarioSetPage(getDb(), user, id.data.scenarioId)
  if (!page) throw notFound()
  return page
}

export const handle: RouteI18n = { i18n: ['methodology', 'waves'] }

export default function RoadmapScenarioSetPage() {
  const page = useLoaderData<typeof loader>()
  const { t } = useTranslation('waves')
  const { dateTime } = useDateFormat()
  const base = `/waves/roadmap/${page.id}`
  return (
    <>
      <h1>{page.name}</h1>
      <p className="muted">{t('roadmap.saved.createdAt', { at: dateTime(page.createdAt) })}</p>
      <p>
        <Link to="/waves/roadmap">{t('roadmap.saved.back')}</Link>
      </p>
      <section className="card" aria-labelledby="roadmap-exports-title">
        <h2 id="roadmap-exports-title">{t('roadmap.saved.exports')}</h2>
        <ul>
          <li>
            <a href={`${base}/export.csv`} download>
              {t('roadmap.saved.csv')}
            </a>
          </li>
          <li>
            <a href={`${base}/export.xlsx`} download>
              {t('roadmap.saved.xlsx')}
            </a>
          </li>
        </ul>
      </section>
      <RoadmapResult roadmap={page.roadmap} />
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'waves:roadmap.title')
