import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { API_RATE_LIMIT } from '../api/caller.server.ts'
import { API_ENDPOINTS } from '../api/endpoints.ts'
import { openApiDocument, parametersOf } from '../api/openapi.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

/** The API reference, rendered here from the OpenAPI document (no assets from the internet). */
export async function loader() {
  const document = openApiDocument()
  const components = document.components as { schemas: Record<string, unknown> }
  return {
    rateLimit: API_RATE_LIMIT.max,
    endpoints: API_ENDPOINTS.map((e) => ({
      path: e.path,
      operationId: e.operationId,
      summary: e.summary,
      scope: e.scope,
      etag: e.etag,
      parameters: parametersOf(e).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required,
        description: p.description ?? '',
        schema: JSON.stringify(p.schema),
      })),
    })),
    schemas: Object.entries(components.schemas).map(([id, schema]) => ({
      id,
      json: JSON.stringify(schema, null, 2),
    })),
  }
}

export const handle: RouteI18n = { i18n: ['api', 'waves'] }

export default function ApiDocsPage() {
  const { endpoints, schemas, rateLimit } = useLoaderData<typeof loader>()
  const { t } = useTranslation('api')
  return (
    <>
      <h1>{t('docs.title')}</h1>
      <p>
        {t('docs.intro')} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
      </p>
      <section className="card" aria-labelledby="api-auth">
        <h2 id="api-auth">{t('docs.auth')}</h2>
        <p>{t('docs.authText', { max: rateLimit })}</p>
      </section>
      {endpoints.map((e) => (
        <section key={e.operationId} className="card" aria-labelledby={`op-${e.operationId}`}>
          <h2 id={`op-${e.operationId}`}>
            <code>GET {e.path}</code>
          </h2>
          <p>{e.summary}</p>
          <p>
            {t('docs.scope')}: {e.scope ? <code>{e.scope}</code> : t('docs.anyToken')}
          </p>
          {e.parameters.length > 0 ? (
            // Wide schemas scroll on a tablet: a keyboard must reach the region (axe).
            <div
              className="table-scroll"
              tabIndex={0}
              role="region"
              aria-label={`${t('docs.parameters')} · ${e.path}`}
            >
              <table>
                <caption>{t('docs.parameters')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('docs.parameter')}</th>
                    <th scope="col">{t('docs.in')}</th>
                    <th scope="col">{t('docs.type')}</th>
                    <th scope="col">{t('docs.required')}</th>
                    <th scope="col">{t('docs.description')}</th>
                  </tr>
                </thead>
                <tbody>
                  {e.parameters.map((p) => (
                    <tr key={`${p.in}-${p.name}`}>
                      <td>
                        <code>{p.name}</code>
                      </td>
                      <td>{p.in}</td>
                      <td>
                        <code>{p.schema}</code>
                      </td>
                      <td>{p.required ? t('docs.yes') : t('docs.no')}</td>
                      <td>{p.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ))}
      <h2>{t('docs.schemas')}</h2>
      {schemas.map((s) => (
        <section key={s.id} className="card" aria-labelledby={`schema-${s.id}`}>
          <h3 id={`schema-${s.id}`}>{s.id}</h3>
          <pre>{s.json}</pre>
        </section>
      ))}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.apiDocs')
