/**
 * The HTTP server: Express in front of the Remix request handler. It exists
 * (instead of remix-serve) for three things Remix v2 has no hook for:
 * - one same-origin check on every non-GET request, before any action runs;
 * - the client address for rate limiting and audit rows (the Fetch
 *   `Request` a loader sees does not carry it);
 * - security headers on every response, documents and data alike.
 *
 * `node --import tsx app/server.ts` serves the built app; `--dev` serves
 * through Vite with hot reload.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import { getEnv, type Env } from './utils/env.server.ts'

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
    res
      .status(403)
      .type('text/plain; charset=utf-8')
      .send('403 — Yêu cầu từ trang khác bị từ chối. / Cross-site request refused.')
  })

  if (options.devMiddleware) app.use(options.devMiddleware)
  if (options.clientDir) {
    app.use(
      '/assets',
      express.static(`${options.clientDir}/assets`, { immutable: true, maxAge: '1y' }),
    )
    app.use(express.static(options.clientDir, { maxAge: '1h' }))
  }

  app.all(
    '*',
    createRequestHandler({
      build: options.build,
      mode: env.NODE_ENV,
      getLoadContext: (req) => ({
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        requestId: randomUUID(),
      }),
    }),
  )
  return app
}

/** Newest modification time of any file under `dir` (recursively). */
function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds when there is no build or the sources changed since (a fresh clone, a pull). */
function buildIfNeeded(root: URL): void {
  const serverBuild = new URL('build/server/index.js', root)
  const sources = ['app', 'public', 'vite.config.ts', 'package-lock.json'].map(
    (p) => new URL(p, root).pathname,
  )
  const built = existsSync(serverBuild) ? statSync(serverBuild).mtimeMs : 0
  const changed = Math.max(
    ...sources.map((p) =>
      !existsSync(p) ? 0 : statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs,
    ),
  )
  if (built > changed) return
  console.info('building the app (sources changed or no build yet)…')
  const result = spawnSync(new URL('node_modules/.bin/remix', root).pathname, ['vite:build'], {
    cwd: root.pathname,
    stdio: 'inherit',
  })
  if (result.status !== 0) throw new Error('the build failed; see the output above')
}

async function main(): Promise<void> {
  const env = getEnv()
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
  if (process.argv.includes('--build-if-needed')) buildIfNeeded(root)
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

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
