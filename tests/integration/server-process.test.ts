/**
 * The production server started from outside the project folder (as a
 * service manager might): the pages answer, and a robustness job and a
 * roadmap's schedules run in their workers, which are loaded by absolute
 * paths, not from the working directory.
 */
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestClient } from '../support/http.ts'
import { startServerProcess, type ServerProcess } from '../support/server-process.ts'

let server: ServerProcess

beforeAll(async () => {
  server = await startServerProcess('elsewhere', { cwd: tmpdir() })
}, 60_000)

afterAll(async () => {
  server.kill()
  await server.exited
})

describe('a server started from another folder', () => {
  it('runs a robustness job in its worker', async () => {
    const client = new TestClient(server.origin)
    expect((await client.signIn('boyte')).status).toBe(302)
    const start = await client.request('/waves?index', {
      form: { intent: 'robustness', params: 'capacity=20&draws=300' },
    })
    expect(start.status).toBe(302)
    const jobId = new URL(start.headers.get('location') ?? '', server.origin).searchParams.get(
      'job',
    )
    let job = { status: 'queued', error: null as string | null }
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((r) => setTimeout(r, 100))
      job = (await (await client.request(`/waves/jobs/${jobId}`)).json()) as typeof job
    }
    expect(job).toMatchObject({ status: 'done', error: null })
  }, 60_000)

  it('computes a roadmap in its worker', async () => {
    const client = new TestClient(server.origin)
    expect((await client.signIn('boyte')).status).toBe(302)
    const page = await client.request(
      '/waves/roadmap?periodKind=year&periods=2&start=2026-01-01&capacity=6&costBn=10&budgetBn=30',
    )
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/Phương pháp: (một bài toán quy hoạch nguyên|các đợt tối ưu)/)
  }, 60_000)
})
