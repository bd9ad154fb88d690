/** Security headers on documents, data requests and errors; no stack traces leak. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
beforeAll(async () => {
  process.env.NODE_ENV = 'production'
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
})

describe('response headers', () => {
  it('documents carry a nonce CSP, no-store and the hardening headers', async () => {
    const r = await new TestClient(server.origin).request('/login')
    const csp = r.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('referrer-policy')).toBe('same-origin')
    expect(r.headers.get('x-frame-options')).toBe('DENY')
    expect(r.headers.get('x-powered-by')).toBeNull()
    const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(csp)?.[1]
    expect(await r.text()).toContain(`nonce="${nonce}"`)
  })

  it('data requests are not cached either', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('boyte')
    const r = await client.request('/_root.data')
    expect(r.headers.get('cache-control')).toBe('no-store')
  })

  it('errors show no stack trace', async () => {
    const r = await new TestClient(server.origin).request('/no-such-page')
    const body = await r.text()
    expect(r.status).toBe(404)
    expect(body).not.toMatch(/at .*\.(ts|js):\d+/)
  })
})
