/** The wave planner and its exports through the real server, on the seeded demo round. */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getScoringModel } from '../../app/models/content.server.ts'
import { getCurrentRound } from '../../app/models/round.server.ts'
import { getRoundDeadlines } from '../../app/models/wave-input.server.ts'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import { WaveRequestSchema } from '../../scoring/wave.ts'
import { objectiveOf, parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { buildWaveRequest } from '../../app/waves/wave-request.server.ts'
import {
  clearWaveScoreCache,
  loadWaveInputs,
  warmWaveInputs,
} from '../../app/waves/wave-inputs.server.ts'
import { parseCsv } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let ministry: TestClient
let province: TestClient

beforeAll(async () => {
  // Injection probes in facility names, and a province with a negative-looking name change.
  const probes = [
    '=HYPERLINK("http://x","y")',
    '+1',
    '@SUM(A1)',
    '-2+3',
    '\tTab',
    'Phẩy, "ngoặc"\nxuống dòng',
  ]
  const current = await db
    .selectFrom('rounds')
    .select('id')
    .orderBy('opens_on', 'desc')
    .executeTakeFirstOrThrow()
  const ids = await db
    .selectFrom('facilities')
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .select('facilities.id')
    .where('assessments.status', 'in', ['submitted', 'verified'])
    .where('assessments.round_id', '=', current.id)
    .orderBy('facilities.id')
    .limit(probes.length)
    .execute()
  for (const [i, probe] of probes.entries()) {
    const id = ids[i]?.id
    if (id !== undefined)
      await db.updateTable('facilities').set({ name: probe }).where('id', '=', id).execute()
  }
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
  province = new TestClient(server.origin)
  await province.signIn('soyte.thanhhoa')
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('the planner', () => {
  it('selects a wave with a province minimum and shows the price of equity', async () => {
    // 35 demo facilities are R2 or above, in 24 provinces: 30 places leave room for choice.
    const page = await ministry.request('/waves?capacity=30&budgetBn=300&provinceMin=1')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Được chọn: 30 cơ sở')
    expect(html).toMatch(/Cái giá của công bằng: \d+/)
  })

  it('reports an infeasible quota set without a partial answer', async () => {
    const page = await ministry.request('/waves?capacity=10&provinceMin=1')
    const html = await page.text()
    expect(html).toContain('Không có phương án thỏa mãn mọi điều kiện')
    expect(html).not.toContain('Sẵn sàng ngay (được chọn)')
    // Explained in Vietnamese with the figures, the provinces named.
    expect(html).toMatch(
      /Các mức tối thiểu \(Hà Nội, .*\) cộng lại là \d+ cơ sở, vượt số cơ sở tối đa 10\./,
    )
    const api = (await (
      await ministry.request('/api/v1/waves?capacity=10&provinceMin=1')
    ).json()) as {
      result: { feasible: boolean; conflicts: Array<{ kind: string }> }
    }
    expect(api.result.feasible).toBe(false)
    expect(api.result.conflicts[0]?.kind).toBe('minimumsAboveCapacity')
  })

  it('treats blank form fields as the defaults', async () => {
    const r = await ministry.request(
      '/api/v1/waves?round=&capacity=&costBn=&wReadiness=&provinceMin=',
    )
    expect(r.status).toBe(200)
    const body = (await r.json()) as {
      params: { capacity: number; costBn: number; wReadiness: number }
    }
    expect(body.params).toMatchObject({ capacity: 130, costBn: 10, wReadiness: 0.6 })
  })

  it('explains bad parameters and changes nothing', async () => {
    const before = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const page = await ministry.request(
      '/waves?capacity=-5&objective=weighted&wReadiness=0.9&wNeed=0.9&wFeasibility=0',
    )
    const html = await page.text()
    expect(html).toContain('Tham số chưa hợp lệ')
    expect(html).toContain('capacity')
    expect(html).toContain('Không được nhỏ hơn 0.')
    expect(html).toContain('Ba trọng số phải có tổng bằng 1.')
    const after = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('applies quotas for particular provinces on top of the uniform ones, and explains bad lines', async () => {
    type Api = {
      result: { feasible: boolean; conflicts?: Array<{ kind: string; quotas: string[] }> }
      rows: Array<{ province: string; selected: boolean; rank: number | null }>
    }
    const plan = async (query: string) =>
      (await (await ministry.request(`/api/v1/waves?${query}`)).json()) as Api
    const hanoi = (api: Api) => api.rows.filter((r) => r.selected && r.province === '01').length
    // Down to R1, so Hà Nội has several facilities to choose from.
    expect(hanoi(await plan('capacity=40&minLevel=R1'))).toBeGreaterThan(1)
    const capped = await plan(
      `capacity=40&minLevel=R1&provinceMin=1&provinceQuotas=${encodeURIComponent('01=-1')}`,
    )
    expect(capped.result.feasible).toBe(true)
    expect(hanoi(capped)).toBe(1)
    // The uniform minimum still holds elsewhere: each province with someone eligible is in.
    const eligible = new Set(capped.rows.filter((r) => r.rank !== null).map((r) => r.province))
    const selected = new Set(capped.rows.filter((r) => r.selected).map((r) => r.province))
    expect(selected).toEqual(eligible)

    const tooMany = await plan(`provinceQuotas=${encodeURIComponent('01=999-')}`)
    expect(tooMany.result.feasible).toBe(false)
    expect(tooMany.result.conflicts?.[0]).toMatchObject({
      kind: 'minAboveEligible',
      quotas: ['province:01'],
    })

    const bad = await ministry.request(
      `/api/v1/waves?provinceQuotas=${encodeURIComponent('Hà Nội=1')}`,
    )
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('không có dạng \\"mã tỉnh=tối thiểu-tối đa\\"')
  })
})

describe('CSV export', () => {
  it('round-trips through a CSV parser, escapes formula injection and keeps numbers numeric', async () => {
    const r = await ministry.request('/waves/export.csv?capacity=40&budgetBn=400')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await r.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    // TextDecoder drops the BOM checked above.
    const text = new TextDecoder().decode(bytes)
    expect(text.startsWith('Hạng,Mã cơ sở,Cơ sở,')).toBe(true)
    const rows = parseCsv(text)
    const header = rows[0] ?? []
    // Headers and labels in the reader's language (Vietnamese unless chosen otherwise).
    const name = header.indexOf('Cơ sở')
    const composite = header.indexOf('Điểm tổng hợp')
    expect(header).toContain('Lĩnh vực: An toàn thông tin và bảo vệ dữ liệu')
    expect(rows.slice(1).map((row) => row[header.indexOf('Trạng thái')])).toContain('được chọn')
    const names = rows.slice(1).map((row) => row[name])
    expect(names).toContain(`'=HYPERLINK("http://x","y")`)
    expect(names).toContain("'+1")
    expect(names).toContain("'@SUM(A1)")
    expect(names).toContain("'-2+3")
    expect(names).toContain("'\tTab")
    expect(names).toContain('Phẩy, "ngoặc"\nxuống dòng')
    for (const row of rows.slice(1)) expect(row[composite]).toMatch(/^\d+(\.\d+)?$/)
    expect(rows.slice(1).every((row) => row.length === header.length)).toBe(true)
    // Every facility of the round's submitted or verified assessments is in the file.
    const count = await db
      .selectFrom('assessments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(
        'round_id',
        '=',
        (
          await db
            .selectFrom('rounds')
            .select('id')
            .orderBy('opens_on', 'desc')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .where('status', 'in', ['submitted', 'verified'])
      .executeTakeFirstOrThrow()
    expect(rows.length - 1).toBe(Number(count.n))
  })

  it('is deterministic and audited', async () => {
    const before = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'wave.export.csv')
      .execute()
    const a = await (await ministry.request('/waves/export.csv?capacity=30')).text()
    const b = await (await ministry.request('/waves/export.csv?capacity=30')).text()
    expect(a).toBe(b)
    const after = await db
      .selectFrom('audit_log')
      .select(['id', 'actor_id', 'detail_json'])
      .where('action', '=', 'wave.export.csv')
      .execute()
    expect(after.length - before.length).toBe(2)
    expect(JSON.parse(after.at(-1)?.detail_json ?? '{}')).toMatchObject({
      params: { capacity: 30 },
    })
  })

  it('audits XLSX and JSON exports too, with the parameters', async () => {
    const count = async (action: string) =>
      (await db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length
    const before = [await count('wave.export.xlsx'), await count('wave.export.json')]
    await (await ministry.request('/waves/export.xlsx?capacity=12')).arrayBuffer()
    await (await ministry.request('/api/v1/waves?capacity=12')).arrayBuffer()
    expect([await count('wave.export.xlsx'), await count('wave.export.json')]).toEqual([
      (before[0] ?? 0) + 1,
      (before[1] ?? 0) + 1,
    ])
    // A refused request (bad parameters) exports nothing and audits nothing.
    expect((await ministry.request('/api/v1/waves?capacity=-1')).status).toBe(400)
    expect(await count('wave.export.json')).toBe((before[1] ?? 0) + 1)
  })

  it('gives a province reviewer only their province', async () => {
    const text = await (await province.request('/waves/export.csv')).text()
    const rows = parseCsv(text)
    const header = rows[0] ?? []
    const provinces = new Set(rows.slice(1).map((row) => row[header.indexOf('Tỉnh/thành phố')]))
    expect([...provinces]).toEqual(['Thanh Hoá'])
  })
})

describe('XLSX export', () => {
  it('opens with exceljs and holds the ranked, parameters and methodology sheets', async () => {
    const r = await ministry.request('/waves/export.xlsx?capacity=40&provinceMin=1')
    expect(r.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await r.arrayBuffer())
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Xếp hạng', 'Tham số', 'Phương pháp'])
    const ranked = workbook.getWorksheet('Xếp hạng')
    expect(ranked?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(ranked?.autoFilter).toBeTruthy()
    const header = (ranked?.getRow(1).values as unknown[]).slice(1)
    const composite = header.indexOf('Điểm tổng hợp') + 1
    expect(typeof ranked?.getRow(2).getCell(composite).value).toBe('number')
    const params = workbook.getWorksheet('Tham số')
    const keys = params?.getColumn(1).values.slice(2)
    expect(keys).toEqual(
      expect.arrayContaining([
        'round',
        'scoring model',
        'objective',
        'capacity',
        'price_of_equity_bp',
      ]),
    )
    // Text cells are typed strings: kept exactly as entered, no apostrophe, never a formula.
    const nameColumn = header.indexOf('Cơ sở') + 1
    const names: unknown[] = []
    ranked?.eachRow((row, n) => {
      if (n > 1) names.push(row.getCell(nameColumn).value)
    })
    expect(names).toContain('=HYPERLINK("http://x","y")')
    expect(names).toContain('+1')
    expect(names).toContain('\tTab')
    expect(names.some((n) => typeof n === 'string' && n.startsWith("'"))).toBe(false)
    const methodology = workbook.getWorksheet('Phương pháp')
    const kinds = new Set(methodology?.getColumn(1).values.slice(2))
    expect(kinds).toEqual(
      new Set([
        'lĩnh vực',
        'tiêu chí điều kiện',
        'mức',
        'mức đầy đủ',
        'ưu tiên',
        'nhu cầu',
        'khả thi',
        'xếp hạng',
        'sàn lĩnh vực',
        'cách xét mức',
        'quy tắc',
      ]),
    )
  })

  it('is in English for a reader who chose English, CSV too', async () => {
    const english = async (path: string) =>
      fetch(`${server.origin}${path}`, {
        headers: { cookie: `${ministry.cookie ?? ''}; sansang_lang=en` },
      })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await (await english('/waves/export.xlsx?capacity=40')).arrayBuffer())
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Ranked', 'Parameters', 'Methodology'])
    const methodology = workbook.getWorksheet('Methodology')
    expect(new Set(methodology?.getColumn(1).values.slice(2))).toEqual(
      new Set([
        'domain',
        'gate',
        'level',
        'completeness',
        'priority',
        'need',
        'feasibility',
        'ranking',
        'domain floor',
        'level basis',
        'rule',
      ]),
    )
    const rows = parseCsv(await (await english('/waves/export.csv?capacity=40')).text())
    const header = rows[0] ?? []
    expect(header.slice(0, 3)).toEqual(['Rank', 'Code', 'Facility'])
    expect(rows.slice(1).map((row) => row[header.indexOf('Status')])).toContain('selected')
  })
})

describe('kept plans', () => {
  it('show a facility renamed since, although ranking inputs did not change', async () => {
    type Api = { inputHash: string; rows: Array<{ facilityId: number; name: string }> }
    const before = (await (await ministry.request('/api/v1/waves?capacity=33')).json()) as Api
    const first = before.rows[0]
    if (!first) throw new Error('no rows')
    await db
      .updateTable('facilities')
      .set({ name: 'Bệnh viện đổi tên' })
      .where('id', '=', first.facilityId)
      .execute()
    const after = (await (await ministry.request('/api/v1/waves?capacity=33')).json()) as Api
    expect(after.inputHash).toBe(before.inputHash)
    expect(after.rows.find((r) => r.facilityId === first.facilityId)?.name).toBe(
      'Bệnh viện đổi tên',
    )
  })
})

describe('kept input lists', () => {
  it('are reused while nothing the planner reads changes, and read again after a change', async () => {
    const round = await getCurrentRound(db, new Date().toISOString().slice(0, 10))
    if (!round) throw new Error('no current round')
    const model = await getScoringModel(db, round.scoring_model_id)
    const input = {
      roundId: round.id,
      model,
      scoringModelId: round.scoring_model_id,
      verifiedOnly: false,
    }
    const load = () => loadWaveInputs(db, { kind: 'all' }, input)
    const first = await load()
    expect(await load()).toBe(first)

    // A draft being filled in (autosaves) is not something the planner reads.
    const draft = await db
      .selectFrom('assessments')
      .select(['id', 'version'])
      .where('round_id', '=', round.id)
      .where('status', '=', 'draft')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('assessments')
      .set({ version: draft.version + 1 })
      .where('id', '=', draft.id)
      .execute()
    expect(await load()).toBe(first)

    // A submitted assessment returned to its facility leaves the inputs at once.
    const submitted = await db
      .selectFrom('assessments')
      .select(['id', 'facility_id'])
      .where('round_id', '=', round.id)
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('assessments')
      .set({ status: 'returned' })
      .where('id', '=', submitted.id)
      .execute()
    const after = await load()
    expect(after).not.toBe(first)
    expect(first.inputs.some((i) => i.facilityId === submitted.facility_id)).toBe(true)
    expect(after.inputs.some((i) => i.facilityId === submitted.facility_id)).toBe(false)
    expect(after.inputHash).not.toBe(first.inputHash)
    await db
      .updateTable('assessments')
      .set({ status: 'submitted' })
      .where('id', '=', submitted.id)
      .execute()
    expect((await load()).inputHash).toBe(first.inputHash)
  })
})

describe('the start-up warm-up', () => {
  it("caches every stored score of the current round, and the plan's input hash is unchanged", async () => {
    const today = new Date().toISOString().slice(0, 10)
    const round = await getCurrentRound(db, today)
    if (!round) throw new Error('no current round')
    const model = await getScoringModel(db, round.scoring_model_id)
    const input = { roundId: round.id, model, scoringModelId: round.scoring_model_id }
    clearWaveScoreCache()
    const cold = await loadWaveInputs(db, { kind: 'all' }, { ...input, verifiedOnly: false })

    clearWaveScoreCache()
    const scores = await db
      .selectFrom('scores')
      .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assessments.round_id', '=', round.id)
      .where('assessments.status', 'in', ['submitted', 'verified'])
      .where('scores.scoring_model_id', '=', round.scoring_model_id)
      .executeTakeFirstOrThrow()
    expect(await warmWaveInputs(db, today)).toBe(Number(scores.n))
    const warm = await loadWaveInputs(db, { kind: 'all' }, { ...input, verifiedOnly: false })
    expect(warm.inputHash).toBe(cold.inputHash)
    expect(warm.inputs.map((i) => [i.code, i.score.compositeBp])).toEqual(
      cold.inputs.map((i) => [i.code, i.score.compositeBp]),
    )
  })
})

describe('the selection request', () => {
  // The planner hands its request to the engine without parsing it again
  // (selectParsedWave): what it builds must be what the schema would give.
  it("is built as the engine's schema parses it, for greedy and MILP instances", async () => {
    const today = new Date().toISOString().slice(0, 10)
    const round = await getCurrentRound(db, today)
    const deadlineRow = round && (await getRoundDeadlines(db, round.id))
    if (!round || !deadlineRow) throw new Error('no current round')
    const model = await getScoringModel(db, round.scoring_model_id)
    const { inputs } = await loadWaveInputs(
      db,
      { kind: 'all' },
      { roundId: round.id, model, scoringModelId: round.scoring_model_id, verifiedOnly: false },
    )
    const code = inputs[0]?.code ?? ''
    for (const search of [
      'capacity=30&budgetBn=300&provinceMin=1',
      `capacity=20&basicMin=2&costs=${code}%3D12&minLevel=R1`,
    ]) {
      const params = parseWaveParams(new URLSearchParams(search), 'vi')
      if (!params.success) throw new Error(search)
      const { request } = buildWaveRequest({
        model,
        priority: CURRENT_PRIORITY_MODEL,
        inputs,
        round: {
          closesOn: deadlineRow.closes_on,
          hospital: deadlineRow.hospital_emr_deadline,
          other: deadlineRow.other_emr_deadline,
        },
        params: params.data,
        objective: objectiveOf(params.data),
      })
      expect(request.facilities.length).toBeGreaterThan(0)
      expect(WaveRequestSchema.parse(request)).toEqual(request)
    }
  })
})
