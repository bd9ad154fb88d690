/**
 * The real app (the built Remix server behind app/server.ts) on an ephemeral
 * port, with a small client that keeps one session cookie, like a browser.
 */
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { createServer } from '../../app/server.ts'
import { getEnv, parseEnv } from '../../app/utils/env.server.ts'
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '../../app/account/totp.server.ts'
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS } from '../../db/seed.ts'

export interface TestServer {
  origin: string
  close: () => Promise<void>
}

/**
 * `env` overrides variables the Express layer reads (TRUST_PROXY …); the app
 * inside the build reads its own from process.env.
 */
export async function startTestServer(
  /** clientDir: also serve the built browser files (build/client), as `npm start` does. */
  options: { env?: Record<string, string>; clientDir?: string } = {},
): Promise<TestServer> {
  const buildPath = resolve('build/server/index.js')
  if (!existsSync(buildPath))
    throw new Error('no build: run `npm run build` before integration tests')
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild
  const env = options.env ? parseEnv({ ...process.env, ...options.env }) : getEnv()
  const app = createServer({
    env,
    build,
    ...(options.clientDir ? { clientDir: resolve(options.clientDir) } : {}),
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((done) => server.once('listening', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

export interface RequestOptions {
  method?: string
  form?: Record<string, string>
  /** A JSON body (POST). */
  json?: unknown
  /** Any other body, e.g. FormData for uploads (POST). */
  body?: FormData
  headers?: Record<string, string>
  /** Send the page's own Origin header (a browser's same-origin form post). Default true. */
  sameOrigin?: boolean
}

export class TestClient {
  cookie: string | null = null
  constructor(
    readonly origin: string,
    readonly ip = '127.0.0.1',
  ) {}

  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers = new Headers(options.headers)
    if (this.cookie) headers.set('cookie', this.cookie)
    // Integration tests run with TRUST_PROXY=1 (one proxy: the test itself), so the
    // right-most X-Forwarded-For entry is the client address. A test playing a
    // proxy chain sets the header itself.
    if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', this.ip)
    const hasBody =
      options.form !== undefined || options.json !== undefined || options.body !== undefined
    const method = options.method ?? (hasBody ? 'POST' : 'GET')
    if (method !== 'GET' && options.sameOrigin !== false && !headers.has('origin')) {
      headers.set('origin', this.origin)
    }
    let body: URLSearchParams | FormData | string | undefined
    if (options.form) body = new URLSearchParams(options.form)
    else if (options.body) body = options.body
    else if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      headers.set('content-type', 'application/json')
    }
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? ''
      this.cookie = /=$/.test(pair) || /Max-Age=0/i.test(setCookie) ? null : pair
    }
    return response
  }

  /**
   * Signs in like a browser: the password, then — for the demo accounts
   * enrolled with a published TOTP secret — a code computed from it. The
   * final response is returned (302 home when signed in).
   */
  async signIn(login: string, password = DEMO_PASSWORD): Promise<Response> {
    const response = await this.request('/login', { form: { login, password, redirectTo: '/' } })
    const location = response.headers.get('location') ?? ''
    const secret = DEMO_TOTP_SECRETS[login]
    if (response.status !== 302 || !location.startsWith('/login/code') || !secret) return response
    await response.arrayBuffer()
    return this.submitTotp(login, secret)
  }

  /**
   * Posts a TOTP code for `secret`. A code is accepted once (RFC 6238 §5.2),
   * so a user signed in several times within 30 s uses the codes of the
   * neighbouring steps the server also accepts, then waits for the next step.
   */
  async submitTotp(login: string, secret: string): Promise<Response> {
    const key = `${this.origin}|${login}`
    for (let round = 0; round < 3; round++) {
      const period = TOTP_PERIOD_SECONDS * 1000
      const now = Date.now()
      const current = Math.floor(now / period)
      const first = Math.max(current - 1, (lastTotpStep.get(key) ?? -Infinity) + 1)
      for (let step = first; step <= current + 1; step++) {
        const code = totpCodeAt(secret, step * period)
        const response = await this.request('/login/code', { form: { code, redirectTo: '/' } })
        if (response.status === 302) {
          lastTotpStep.set(key, step)
          return response
        }
        await response.arrayBuffer()
      }
      // Every code the server would accept now was used: wait for the next step.
      await new Promise((r) => setTimeout(r, period - (Date.now() % period) + 50))
    }
    throw new Error(`no TOTP code was accepted for ${login}`)
  }
}

/** The last TOTP step each test client used per server and login (per process). */
const lastTotpStep = new Map<string, number>()
