/**
 * The HTTP server: Express in front of the Remix request handler. It exists
 * (instead of remix-serve) for what Remix v2 has no hook for:
 * - one same-origin check on every non-GET request, before any action runs;
 * - request bodies read here, at most their route's limit, before Remix
 *   sees them (policy in app/utils/request-body.server.ts);
 * - the client address for rate limiting and audit rows (the Fetch
 *   `Request` a loader sees does not carry it), from `X-Forwarded-For` only
 *   as far as `TRUST_PROXY` says;
 * - security headers on every response, documents and data alike;
 * - compression of every compressible response, and year-long caching of
 *   the hashed build assets (app/utils/compression.server.ts);
 * - autosave (`POST /assessment/save`, 50 directors at once at national
 *   scale) answered without Remix's route matching and action pipeline, by
 *   the function the route's action calls (app/assessment/save-route.server.ts),
 *   after the same checks and with the same headers as every other request.
 *
 * Started through app/server-start.ts: compiled by `npm run build` and run
 * with plain Node in production, or `tsx app/server-start.ts --dev` to serve
 * through Vite with hot reload.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from '@remix-run/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import {
  configuredWhere,
  openConfigured,
  type DatabaseSettings,
  type OpenedDatabase,
} from '../db/client.ts'
import { writeHeartbeat } from './models/heartbeat.server.ts'
import { compressResponses, serveHashedAssets } from './utils/compression.server.ts'
import { getEnv, type Env } from './utils/env.server.ts'
import type { BodyRule, HeadCheck } from './utils/request-body.server.ts'
import { describeStorageFailure, storageFailureOf } from './utils/storage-error.server.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Is this state-changing request from our own pages? Fetch Metadata first
 * (`Sec-Fetch-Site`, sent by every current browser), else the `Origin`
 * header, which must match the address the request was sent to.
 */
export function isSameOriginRequest(
  headers: { origin?: string; secFetchSite?: string; host?: string },
  protocol: string,
  allowedOrigins: string[],
): boolean {
  if (headers.secFetchSite) return headers.secFetchSite === 'same-origin'
  if (!headers.origin || !headers.host) return false
  if (allowedOrigins.includes(headers.origin)) return true
  return headers.origin === `${protocol}://${headers.host}`
}

/** HSTS for a year, sent only over https (directly, or as a trusted proxy says). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains'

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  // `req.secure` believes X-Forwarded-Proto only from a proxy TRUST_PROXY trusts.
  if (req.secure) res.setHeader('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'same-origin')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
  next()
}

/** The request-body policy, exported by the build's server entry (entry.server.tsx). */
interface BodyPolicy {
  checkRequestHead(request: globalThis.Request): HeadCheck
  checkRequestBody(request: globalThis.Request, rule: BodyRule): Promise<globalThis.Response | null>
  tooLarge(request: globalThis.Request, rule: BodyRule): globalThis.Response
  crossSiteRefused(request: globalThis.Request): globalThis.Response
}

function bodyPolicyOf(build: ServerBuild): BodyPolicy {
  // The entry's own exports beside its default; entry.server.tsx declares them.
  const entry = build.entry.module as Partial<BodyPolicy>
  const { checkRequestHead, checkRequestBody, tooLarge, crossSiteRefused } = entry
  if (!checkRequestHead || !checkRequestBody || !tooLarge || !crossSiteRefused) {
    throw new Error('the server build lacks the request-body policy: run `npm run build`')
  }
  return { checkRequestHead, checkRequestBody, tooLarge, crossSiteRefused }
}

/** What a request is answered by: Remix's handler, or one of the build's plain ones. */
type FetchHandler = (
  request: globalThis.Request,
  context: { clientIp: string; requestId: string },
) => Promise<globalThis.Response>

/** The path app/server.ts answers itself, exactly as the browser's save queue sends it. */
export const SAVE_PATH = '/assessment/save'

/** The autosave handler, exported by the build's server entry (entry.server.tsx). */
function saveHandlerOf(build: ServerBuild): FetchHandler {
  const { answerSaveRequest } = build.entry.module as { answerSaveRequest?: FetchHandler }
  if (!answerSaveRequest) {
    throw new Error('the server build lacks the autosave handler: run `npm run build`')
  }
  return answerSaveRequest
}

/**
 * The body, read into memory up to `limit` bytes: 'too_large' as soon as it
 * passes the limit (declared length or not; chunked bodies are counted),
 * 'aborted' if the client went away first.
 */
function readBody(
  req: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = (result: 'too_large' | 'aborted') => {
      req.removeListener('data', onData)
      req.pause()
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) stop('too_large')
      else chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => {
      const body = new Uint8Array(new ArrayBuffer(size))
      let offset = 0
      for (const chunk of chunks) {
        body.set(chunk, offset)
        offset += chunk.length
      }
      resolve(body)
    })
    req.once('error', () => stop('aborted'))
    req.once('close', () => {
      if (!req.complete) stop('aborted')
    })
  })
}

/**
 * The Fetch `Request` Remix sees, with a body already read (or none). The URL
 * is built as @remix-run/express builds it: the host as Express resolved it
 * (which honours `trust proxy`), the port from the Host header.
 */
function toFetchRequest(
  req: Request,
  signal: AbortSignal,
  body?: Uint8Array<ArrayBuffer>,
): globalThis.Request {
  const port = /:(\d+)$/.exec(req.get('host') ?? '')?.[1]
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  return new globalThis.Request(url, {
    method: req.method,
    headers,
    signal,
    ...(body ? { body } : {}),
  })
}

/** Writes a Fetch `Response` (status, headers, streamed body) to Express. */
async function sendResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [name, value] of response.headers.entries()) res.append(name, value)
  if (/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) res.flushHeaders()
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}

/** For a request answered before anything of it is read: nothing to abort. */
const neverAborted = new AbortController().signal

export interface CreateServerOptions {
  env: Env
  /** The Remix build, or a function returning it (Vite dev). */
  build: ServerBuild | (() => Promise<ServerBuild>)
  clientDir?: string
  /** Vite's dev middleware, which must see asset requests before Remix. */
  devMiddleware?: express.RequestHandler
}

export function createServer(options: CreateServerOptions): express.Express {
  const { env } = options
  const app = express()
  app.disable('x-powered-by')
  // How far to believe X-Forwarded-For/-Proto/-Host: no proxy, n hops, or listed proxies.
  app.set('trust proxy', env.TRUST_PROXY)
  app.use(securityHeaders)
  const { build } = options
  const resolveBuild = async () => (typeof build === 'function' ? build() : build)

  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const ok = isSameOriginRequest(
      {
        origin: req.get('origin'),
        secFetchSite: req.get('sec-fetch-site'),
        host: req.get('host'),
      },
      req.protocol,
      env.ALLOWED_ORIGINS,
    )
    if (ok) return next()
    // Worded by the build (the reader's language, the error contract), like the body refusals.
    resolveBuild()
      .then((built) =>
        sendResponse(res, bodyPolicyOf(built).crossSiteRefused(toFetchRequest(req, neverAborted))),
      )
      .catch(next)
  })

  if (options.devMiddleware) app.use(options.devMiddleware)
  app.use(compressResponses())
  if (options.clientDir) {
    app.use('/assets', serveHashedAssets(`${options.clientDir}/assets`))
    app.use(
      express.static(options.clientDir, {
        maxAge: '1h',
        index: false,
        setHeaders(res, path) {
          // The service worker must be checked at every visit: a cached old one
          // would keep serving old assets after a release.
          if (path.endsWith('/sw.js')) res.setHeader('Cache-Control', 'no-cache')
        },
      }),
    )
  }

  /** One request through the body policy to `handle`, its answer written to `res`. */
  const serve = async (req: Request, res: Response, handle: FetchHandler): Promise<void> => {
    // Stop the loader or action once nobody can receive the answer.
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    const { signal } = controller
    let body: Uint8Array<ArrayBuffer> | undefined
    if (!SAFE_METHODS.has(req.method)) {
      const policy = bodyPolicyOf(await resolveBuild())
      const head = policy.checkRequestHead(toFetchRequest(req, signal))
      if (!head.ok) return sendResponse(res, head.response)
      const read = await readBody(req, head.rule.limit)
      if (read === 'aborted') return
      if (read === 'too_large') {
        return sendResponse(res, policy.tooLarge(toFetchRequest(req, signal), head.rule))
      }
      const refusal = await policy.checkRequestBody(toFetchRequest(req, signal, read), head.rule)
      if (refusal) return sendResponse(res, refusal)
      body = read
    }
    const response = await handle(toFetchRequest(req, signal, body), {
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      requestId: randomUUID(),
    })
    await sendResponse(res, response)
  }

  // Only the exact path: anything else (a trailing slash, a query) goes to the route.
  app.use((req, res, next) => {
    if (req.method !== 'POST' || req.originalUrl !== SAVE_PATH) return next()
    resolveBuild()
      .then((built) => serve(req, res, saveHandlerOf(built)))
      .catch(next)
  })

  const handleRequest = createRequestHandler(options.build, env.NODE_ENV)
  app.all('*', (req, res, next) => {
    serve(req, res, handleRequest).catch(next)
  })
  return app
}

/**
 * Before listening: the database opens and takes a commit (the heartbeat
 * /healthz writes too). A full disk, a read-only file or an unmigrated
 * database stops the start with one sentence saying which and what to do.
 */
async function checkDatabase(settings: DatabaseSettings): Promise<void> {
  const path = configuredWhere(settings)
  let opened: OpenedDatabase | undefined
  try {
    opened = openConfigured(settings)
    await writeHeartbeat(opened.db, new Date().toISOString())
  } catch (error) {
    const failure = storageFailureOf(error)
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(
      failure
        ? `Sẵn Sàng cannot start: ${describeStorageFailure(failure, path, error)}`
        : /no such table|relation "[a-z_]+" does not exist/.test(message)
          ? `Sẵn Sàng cannot start: the database ${path} is not migrated (${message}); run \`npm run db:migrate\` or start with \`npm start\``
          : `Sẵn Sàng cannot start: the database ${path} cannot be used (${message})`,
      { cause: error },
    )
  } finally {
    await opened?.db.destroy()
  }
}

async function main(): Promise<void> {
  const env = getEnv()
  await checkDatabase(env)
  const dev = process.argv.includes('--dev')
  if (dev) {
    const vite = await import('vite')
    const viteServer = await vite.createServer({ server: { middlewareMode: true } })
    const app = createServer({
      env,
      build: () => viteServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
      devMiddleware: viteServer.middlewares,
    })
    app.listen(env.PORT, () => console.info(`Sẵn Sàng (dev) on http://localhost:${env.PORT}`))
    return
  }
  const root = new URL('../', import.meta.url)
  const serverBuild = new URL('build/server/index.js', root)
  if (!existsSync(serverBuild)) throw new Error('no build found: run `npm run build` first')
  const build = (await import(serverBuild.href)) as ServerBuild
  const app = createServer({
    env,
    build,
    clientDir: new URL('build/client', root).pathname,
  })
  app.listen(env.PORT, () => {
    console.info(`Sẵn Sàng on http://localhost:${env.PORT}`)
    // Warm caches in the background; a failure here costs speed, never correctness.
    const { afterStart } = build.entry.module as { afterStart?: () => Promise<string> }
    afterStart?.().then(
      (message) => console.info(message),
      (error: unknown) => console.error('warm-up failed:', error),
    )
  })
}

/** Starts the server (app/server-start.ts); a start that fails says why and exits 1. */
export async function startServer(): Promise<void> {
  await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
