import { openApiDocument } from '../api/openapi.server.ts'

/** The OpenAPI 3.1 document, public: it describes the API, not its data. */
export async function loader() {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
