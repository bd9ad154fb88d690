/**
 * Compression and caching for slow links, through the real server with the
 * built browser files: pages and JSON in brotli (or gzip for a browser that
 * takes only gzip), hashed assets from their precompressed files and cached
 * for a year as immutable, already-compressed types (a PDF) as they are.
 * Read with node:http, which (unlike fetch) shows the bytes as sent.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let cookie = ''

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.origin), { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** The largest hashed script of the build, the one compression matters most for. */
function largestScript(): { name: string; bytes: Buffer } {
  const dir = 'build/client/assets'
  const name = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort((a, b) => statSync(`${dir}/${b}`).size - statSync(`${dir}/${a}`).size)[0]
  if (!name) throw new Error('no script in the build')
  return { name, bytes: readFileSync(`${dir}/${name}`) }
}

beforeAll(async () => {
  server = await startTestServer({ clientDir: 'build/client' })
  const client = new TestClient(server.origin)
  await client.signIn('giamdoc.thanhhoa')
  cookie = client.cookie ?? ''
}, 60_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('compression', () => {
  it('sends a page in brotli when the browser takes it, and gzip when it takes only gzip', async () => {
    const plain = await get('/assessment', { cookie })
    expect(plain.status).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const br = await get('/assessment', { cookie, 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    const html = brotliDecompressSync(br.body).toString('utf8')
    expect(html).toContain('<html')
    expect(br.body.length).toBeLessThan(html.length / 2)
    const gz = await get('/assessment', { cookie, 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString('utf8')).toContain('<html')
  })

  it('compresses the JSON a loader answers', async () => {
    const data = await get('/assessment.data', { cookie, 'accept-encoding': 'br' })
    expect(data.status).toBe(200)
    expect(data.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(data.body).length).toBeGreaterThan(data.body.length)
  })

  it('serves hashed assets from their precompressed files, immutable for a year', async () => {
    const { name, bytes } = largestScript()
    const br = await get(`/assets/${name}`, { 'accept-encoding': 'gzip, br' })
    expect(br.status).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(br.headers['content-type']).toMatch(/javascript/)
    // The file written at build time, byte for byte: nothing compressed per request.
    // (Buffer.equals: a deep toEqual over a megabyte takes half a minute.)
    expect(br.body.equals(readFileSync(`build/client/assets/${name}.br`))).toBe(true)
    expect(brotliDecompressSync(br.body).equals(bytes)).toBe(true)
    const gz = await get(`/assets/${name}`, { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).equals(bytes)).toBe(true)
    const plain = await get(`/assets/${name}`)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.equals(bytes)).toBe(true)
  })

  it('leaves an already-compressed type as it is', async () => {
    // A PDF of evidence, large and full of repetition: compressible bytes, but its type is not.
    const round = await db
      .selectFrom('rounds')
      .select('id')
      .orderBy('opens_on', 'desc')
      .executeTakeFirstOrThrow()
    const client = new TestClient(server.origin)
    await client.signIn('giamdoc.thanhhoa')
    const saved = await client.request('/assessment/save', {
      json: {
        roundId: round.id,
        baseVersion: 0,
        changes: { it_staff_dedicated: 'yes' },
        currentPage: 1,
      },
    })
    expect(saved.status).toBe(200)
    const pdf = Buffer.from(`%PDF-1.4\n${'% padding\n'.repeat(800)}%%EOF\n`)
    const form = new FormData()
    form.set('roundId', String(round.id))
    form.set('question', 'it_staff_dedicated')
    form.set('file', new File([new Uint8Array(pdf)], 'scan.pdf'))
    const stored = (await (
      await client.request('/assessment/evidence', { body: form })
    ).json()) as {
      id: number
    }
    const file = await get(`/evidence/${stored.id}`, { cookie, 'accept-encoding': 'br, gzip' })
    expect(file.status).toBe(200)
    expect(file.headers['content-type']).toBe('application/pdf')
    expect(file.headers['content-encoding']).toBeUndefined()
    expect(file.body.equals(pdf)).toBe(true)
  })
})
