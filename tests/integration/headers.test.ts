/** Security headers on documents, data requests and errors; no stack traces leak. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
beforeAll(async () => {
  process.env.NODE_ENV = 'production'
  server = await startTestServer()
  // Importing the build takes seconds on a loaded 2-core machine.
}, 120_000)
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

  it('sends HSTS only when the request came over https, as a trusted proxy says', async () => {
    const client = new TestClient(server.origin)
    expect((await client.request('/login')).headers.get('strict-transport-security')).toBeNull()
    // Integration tests trust one proxy hop, so its X-Forwarded-Proto counts.
    const viaProxy = await client.request('/login', { headers: { 'x-forwarded-proto': 'https' } })
    expect(viaProxy.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    )
    const data = await client.request('/healthz', { headers: { 'x-forwarded-proto': 'https' } })
    expect(data.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/)
  })

  it('ignores X-Forwarded-Proto from a client when no proxy is trusted', async () => {
    const direct = await startTestServer({ env: { TRUST_PROXY: 'false' } })
    try {
      const r = await new TestClient(direct.origin).request('/login', {
        headers: { 'x-forwarded-proto': 'https' },
      })
      expect(r.headers.get('strict-transport-security')).toBeNull()
    } finally {
      await direct.close()
    }
  })

  it('errors show no stack trace', async () => {
    const r = await new TestClient(server.origin).request('/no-such-page')
    const body = await r.text()
    expect(r.status).toBe(404)
    expect(body).not.toMatch(/at .*\.(ts|js):\d+/)
  })
})
