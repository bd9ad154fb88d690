/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas that
 * shape the responses (zod's JSON Schema output, draft 2020-12, which is
 * OpenAPI 3.1's schema dialect). Built once per process: it depends on code only.
 */
import * as z from 'zod'
import { API_RATE_LIMIT } from './caller.server.ts'
import { API_ENDPOINTS, type ApiEndpoint } from './endpoints.ts'
import { apiSchemas } from './schemas.ts'

type JsonSchema = Record<string, unknown>

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })

/** The component name of a registered schema (every response schema is one). */
function componentOf(schema: z.ZodType): string {
  const id = apiSchemas.get(schema)?.id
  if (!id) throw new Error('an API response schema is not registered in apiSchemas')
  return id
}

/** zod's output without the per-schema `$schema`/`$id` (the document sets the dialect once). */
function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema
  return rest
}

export interface ApiParameter {
  name: string
  in: 'path' | 'query'
  required: boolean
  description?: string
  schema: JsonSchema
}

/** The parameters of an endpoint, as the request accepts them (zod's input side). */
export function parametersOf(endpoint: ApiEndpoint): ApiParameter[] {
  const out: ApiParameter[] = []
  for (const [where, object] of [
    ['path', endpoint.pathParams],
    ['query', endpoint.query],
  ] as const) {
    if (!object) continue
    for (const [name, field] of Object.entries(object.shape)) {
      const schema = strip(z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }))
      const { description, ...rest } = schema
      out.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      })
    }
  }
  return out
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
})

function operationOf(endpoint: ApiEndpoint) {
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.scope ? { 'x-scope': endpoint.scope } : {}),
    security: [{ bearer: endpoint.scope ? [endpoint.scope] : [] }],
    parameters: parametersOf(endpoint),
    responses: {
      200: {
        description: 'OK',
        ...(endpoint.etag
          ? { headers: { ETag: { schema: { type: 'string' }, description: 'Of the body' } } }
          : {}),
        content: { 'application/json': { schema: ref(componentOf(endpoint.response)) } },
      },
      ...(endpoint.etag ? { 304: { description: 'Not modified (If-None-Match)' } } : {}),
      400: errorResponse('Bad parameters (`issues` names each)'),
      401: errorResponse('Missing, unknown, expired or revoked token'),
      403: errorResponse('The token lacks the scope'),
      ...(endpoint.pathParams || endpoint.notFound
        ? { 404: errorResponse(endpoint.notFound ?? 'Not found, or outside the token’s province') }
        : {}),
      429: errorResponse(`More than ${API_RATE_LIMIT.max} calls a minute`),
    },
  }
}

let built: JsonSchema | undefined

export function openApiDocument(): JsonSchema {
  if (built) return built
  const generated = z.toJSONSchema(apiSchemas, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'output',
    unrepresentable: 'any',
  }).schemas
  const schemas = Object.fromEntries(
    Object.entries(generated).map(([id, schema]) => [id, strip(schema as JsonSchema)]),
  )
  const paths: Record<string, { get: ReturnType<typeof operationOf> }> = {}
  for (const endpoint of API_ENDPOINTS) paths[endpoint.path] = { get: operationOf(endpoint) }
  built = {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Sẵn Sàng API',
      version: '1',
      description:
        'Read-only access for the Ministry of Health’s other systems: the facility registry, rounds, assessments with raw answers, current scores, wave plans and saved runs. Dates ISO 8601; instants UTC.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas,
    },
    paths,
  }
  return built
}
