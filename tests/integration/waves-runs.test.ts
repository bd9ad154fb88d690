/**
 * Saved ranking runs, robustness in a worker thread, the JSON API of runs,
 * scope, rate limits and the MILP path, through the real built server.
 */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditCount } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let ministry: TestClient
let province: TestClient
let admin: TestClient

const PARAMS = 'capacity=30&budgetBn=300&provinceMin=0'

interface RunJson {
  apiVersion: number
  run: { id: number; name: string } | null
  generatedAt: string
  inputHash: string
  params: { capacity: number; round: number; seed: number }
  result: { feasible: boolean; selected?: string[]; method?: string }
  robustness: { draws: number; seed: number } | null
  rows: Array<{
    facilityId: number
    code: string
    province: string
    selected: boolean
    rank: number | null
    selectionProbability: number | null
    robustness: string | null
  }>
}

async function saveRun(client: TestClient, name: string, params = PARAMS, job?: string) {
  return client.request('/waves?index', {
    form: { intent: 'save', name, params, ...(job ? { job } : {}) },
  })
}

function runIdOf(response: Response): number {
  const location = response.headers.get('location') ?? ''
  const match = /^\/waves\/runs\/(\d+)$/.exec(location)
  if (!match?.[1]) throw new Error(`unexpected redirect "${location}"`)
  return Number(match[1])
}

beforeAll(async () => {
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
  province = new TestClient(server.origin)
  await province.signIn('soyte.thanhhoa')
  admin = new TestClient(server.origin, '127.0.0.2')
  await admin.signIn('quantri')
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('saved runs', () => {
  let runId: number
  let saved: RunJson

  it('saves a run with its parameters, input hash and seed, audited', async () => {
    const before = await auditCount(db, 'wave.run.save')
    const response = await saveRun(ministry, 'Đợt 1 — thử nghiệm')
    expect(response.status).toBe(302)
    runId = runIdOf(response)
    const row = await db
      .selectFrom('ranking_runs')
      .select(['name', 'params_json', 'input_hash', 'seed', 'round_id'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow()
    expect(row.name).toBe('Đợt 1 — thử nghiệm')
    expect(row.input_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.seed).toBe(2026)
    expect(JSON.parse(row.params_json)).toMatchObject({
      capacity: 30,
      round: row.round_id,
      scope: { kind: 'all' },
    })
    expect(await auditCount(db, 'wave.run.save')).toBe(before + 1)

    saved = (await (await ministry.request(`/api/v1/waves/runs/${runId}`)).json()) as RunJson
    expect(saved.run).toEqual({ id: runId, name: 'Đợt 1 — thử nghiệm' })
    expect(saved.inputHash).toBe(row.input_hash)
    expect(saved.rows.filter((r) => r.selected)).toHaveLength(30)
    // The live plan with the same parameters is the same list with the same hash.
    const live = (await (await ministry.request(`/api/v1/waves?${PARAMS}`)).json()) as RunJson
    expect(live.inputHash).toBe(saved.inputHash)
    expect(live.rows.map((r) => [r.code, r.rank, r.selected])).toEqual(
      saved.rows.map((r) => [r.code, r.rank, r.selected]),
    )
  })

  it('refuses a run without a name, and an infeasible run, changing nothing', async () => {
    const before = await db
      .selectFrom('ranking_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect((await saveRun(ministry, '   ')).status).toBe(400)
    const infeasible = await saveRun(ministry, 'Không khả thi', 'capacity=5&provinceMin=1')
    expect(infeasible.status).toBe(400)
    expect(await infeasible.text()).toContain('infeasible')
    const after = await db
      .selectFrom('ranking_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('province reviewers cannot save runs', async () => {
    expect((await saveRun(province, 'Tỉnh')).status).toBe(403)
  })

  it('re-opened after the data changed: byte-identical CSV and XLSX, and a re-run shows the change', async () => {
    const csv1 = Buffer.from(
      await (await ministry.request(`/waves/runs/${runId}/export.csv`)).arrayBuffer(),
    )
    const xlsx1 = Buffer.from(
      await (await ministry.request(`/waves/runs/${runId}/export.xlsx`)).arrayBuffer(),
    )
    // The first selected facility goes live with EMR: today's data no longer selects it.
    const first = saved.rows.find((r) => r.selected)
    if (!first) throw new Error('nothing selected')
    const original = await db
      .selectFrom('facilities')
      .select('emr_status')
      .where('id', '=', first.facilityId)
      .executeTakeFirstOrThrow()
    await db
      .updateTable('facilities')
      .set({ emr_status: 'live' })
      .where('id', '=', first.facilityId)
      .execute()
    // Time-dependent bytes (zip entry dates are in 2-second steps) would show up now.
    await new Promise((done) => setTimeout(done, 2100))
    const csv2 = Buffer.from(
      await (await ministry.request(`/waves/runs/${runId}/export.csv`)).arrayBuffer(),
    )
    const xlsx2 = Buffer.from(
      await (await ministry.request(`/waves/runs/${runId}/export.xlsx`)).arrayBuffer(),
    )
    expect(csv2.equals(csv1)).toBe(true)
    expect(xlsx2.equals(xlsx1)).toBe(true)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Uint8Array.from(xlsx2).buffer)
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Xếp hạng', 'Tham số', 'Phương pháp'])
    const parameters = new Map(
      (workbook.getWorksheet('Tham số')?.getSheetValues() ?? [])
        .slice(2)
        .map((row) => (Array.isArray(row) ? [row[1], row[2]] : [null, null])),
    )
    expect(parameters.get('input_hash_sha256')).toBe(saved.inputHash)
    expect(parameters.get('robustness_seed')).toBe(2026)
    expect(String(parameters.get('run'))).toContain('Đợt 1')

    const page = await (await ministry.request(`/waves/runs/${runId}?rerun=1`)).text()
    expect(page).toContain('Dữ liệu đầu vào đã thay đổi kể từ lần lưu.')
    expect(page).toMatch(/Ra khỏi danh sách \(1\)/)
    expect(page).toContain(first.code)

    await db
      .updateTable('facilities')
      .set({ emr_status: original.emr_status })
      .where('id', '=', first.facilityId)
      .execute()
    const same = await (await ministry.request(`/waves/runs/${runId}?rerun=1`)).text()
    expect(same).toContain('Dữ liệu đầu vào không đổi (cùng mã băm)')
  })

  it("gives a province reviewer only their province's rows of a national run", async () => {
    const body = (await (await province.request(`/api/v1/waves/runs/${runId}`)).json()) as RunJson
    expect(body.rows.length).toBeGreaterThan(0)
    expect(new Set(body.rows.map((r) => r.province))).toEqual(new Set(['38']))
    const visible = new Set(body.rows.map((r) => String(r.facilityId)))
    expect(body.result.selected?.every((id) => visible.has(id))).toBe(true)
    const csv = await (await province.request(`/waves/runs/${runId}/export.csv`)).text()
    const otherCodes = saved.rows.filter((r) => r.province !== '38').map((r) => r.code)
    expect(otherCodes.length).toBeGreaterThan(0)
    for (const code of otherCodes) expect(csv).not.toContain(`,${code},`)
  })

  it('audits every run export', async () => {
    const before = await Promise.all(
      ['csv', 'xlsx', 'json'].map((f) => auditCount(db, `wave.run.export.${f}`)),
    )
    await ministry.request(`/waves/runs/${runId}/export.csv`)
    await ministry.request(`/waves/runs/${runId}/export.xlsx`)
    await ministry.request(`/api/v1/waves/runs/${runId}`)
    const after = await Promise.all(
      ['csv', 'xlsx', 'json'].map((f) => auditCount(db, `wave.run.export.${f}`)),
    )
    expect(after).toEqual(before.map((n) => n + 1))
  })
})

describe('robustness in a worker', () => {
  it('runs 10,000 draws off the request thread, reports progress, and attaches to the plan and a saved run', async () => {
    const params = `${PARAMS}&draws=10000&seed=7`
    const start = await ministry.request('/waves?index', {
      form: { intent: 'robustness', params },
    })
    expect(start.status).toBe(302)
    const location = start.headers.get('location') ?? ''
    const jobId = new URL(location, server.origin).searchParams.get('job') ?? ''
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/)

    // While the draws run, the server keeps answering: requests are served between
    // progress reports, which a blocked event loop could not do (no timing involved).
    let sawRunning = false
    let answeredMidway = 0
    for (;;) {
      const health = await ministry.request('/healthz')
      expect(health.status).toBe(200)
      const job = (await (await ministry.request(`/waves/jobs/${jobId}`)).json()) as {
        status: string
        done: number
        total: number
      }
      expect(job.total).toBe(10000)
      if (job.status === 'running' || job.status === 'queued') sawRunning = true
      if (job.status === 'running' && job.done > 0 && job.done < job.total) answeredMidway++
      if (job.status === 'done' || job.status === 'failed') {
        expect(job.status).toBe('done')
        break
      }
      await new Promise((done) => setTimeout(done, 10))
    }
    expect(sawRunning).toBe(true)
    expect(answeredMidway).toBeGreaterThan(0)

    // Someone else cannot read the job.
    expect((await admin.request(`/waves/jobs/${jobId}`)).status).toBe(404)

    const page = await (await ministry.request(location)).text()
    expect(page).toContain('Độ vững: 10.000 lần rút, hạt giống 7')
    const api = (await (
      await ministry.request(`/api/v1/waves?${params}&job=${jobId}`)
    ).json()) as RunJson
    expect(api.robustness).toMatchObject({ draws: 10000, seed: 7 })
    const selected = api.rows.filter((r) => r.selected)
    expect(selected.every((r) => r.selectionProbability !== null && r.robustness !== null)).toBe(
      true,
    )

    const saved = await saveRun(ministry, 'Có độ vững', params, jobId)
    expect(saved.status).toBe(302)
    const run = (await (
      await ministry.request(`/api/v1/waves/runs/${runIdOf(saved)}`)
    ).json()) as RunJson
    expect(run.robustness).toMatchObject({ draws: 10000, seed: 7 })
    expect(run.rows.map((r) => r.selectionProbability)).toEqual(
      api.rows.map((r) => r.selectionProbability),
    )
  }, 120_000)

  it('refuses a robustness result that belongs to other parameters', async () => {
    const start = await ministry.request('/waves?index', {
      form: { intent: 'robustness', params: `${PARAMS}&draws=200&seed=9` },
    })
    const jobId = new URL(start.headers.get('location') ?? '', server.origin).searchParams.get(
      'job',
    )
    for (;;) {
      const job = (await (await ministry.request(`/waves/jobs/${jobId}`)).json()) as {
        status: string
      }
      if (job.status === 'done') break
      await new Promise((done) => setTimeout(done, 50))
    }
    const response = await saveRun(ministry, 'Sai', `${PARAMS}&draws=200&seed=10`, jobId ?? '')
    expect(response.status).toBe(409)
  }, 60_000)
})

describe('the solver and limits', () => {
  it('solves a tier quota with HiGHS in the production build', async () => {
    const body = (await (
      await ministry.request('/api/v1/waves?capacity=20&provincialMin=3&provincialMax=10')
    ).json()) as RunJson
    expect(body.result).toMatchObject({ feasible: true, method: 'milp' })
  })

  it('limits exports to 30 a minute per user, with Retry-After', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const r = await admin.request('/api/v1/waves?capacity=5')
      await r.arrayBuffer()
      statuses.push(r.status)
    }
    expect(statuses.every((s) => s === 200)).toBe(true)
    const refused = await admin.request('/waves/export.csv?capacity=5')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await refused.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.message).toMatch(
      /^Quá nhiều yêu cầu xuất hoặc chạy; hãy thử lại sau \d+ giây\.$/,
    )
    // Another user is not affected.
    expect((await province.request('/api/v1/waves?capacity=5')).status).toBe(200)
  })
})

describe('the printable facility report', () => {
  it("lets a director print their own facility's report, audited, and nobody else's", async () => {
    const director = new TestClient(server.origin, '127.0.0.3')
    await director.signIn('giamdoc.bachmai')
    const own = await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '01001')
      .executeTakeFirstOrThrow()
    const other = await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '38001')
      .executeTakeFirstOrThrow()
    const before = await auditCount(db, 'facility.report')
    const page = await director.request(`/facilities/${own.id}/report`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Báo cáo mức sẵn sàng bệnh án điện tử — Bệnh viện Bạch Mai')
    expect(html).toContain('Năm cải thiện đáng giá nhất')
    expect(html).toContain('DỮ LIỆU THỬ NGHIỆM')
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/facility-report-[^"]+\.css"/)
    expect(await auditCount(db, 'facility.report')).toBe(before + 1)
    // Generated at the audited time, written in Vietnam's time (UTC+7) as dd/mm/yyyy.
    const audited = await db
      .selectFrom('audit_log')
      .select('at')
      .where('action', '=', 'facility.report')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const local = new Date(Date.parse(audited.at) + 7 * 3_600_000).toISOString()
    const [date = '', time = ''] = local.split('T')
    const [y, m, d] = date.split('-')
    expect(html).toContain(`lập lúc ${time.slice(0, 5)} ${d}/${m}/${y}`)
    expect((await director.request(`/facilities/${other.id}/report`)).status).toBe(404)
    expect(await auditCount(db, 'facility.report')).toBe(before + 1)
  })
})
