/**
 * Honest priorities through the real server (issue 15): one order everywhere,
 * priorities recomputed from the CSV with the published formulas, verified
 * values for every planner input, the minimum level, refused codes, answer
 * rules at save and data-quality flags in the lists and exports.
 */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareByTieBreak } from '../../scoring/rank.ts'
import { checkAnswerRules } from '../../app/quality/answer-rules.server.ts'
import { getScoringModel } from '../../app/models/content.server.ts'
import { parseCsv } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let ministry: TestClient

interface ApiRow {
  facilityId: number
  code: string
  rank: number | null
  level: string
  selected: boolean
  priorityBp: number | null
  gateSubscoreBp: number | null
  needBp: number | null
  compositeBp: number
  exclusions: Array<{ kind: string }>
  dataQuality: string[]
  priorityInputs: {
    beds: number
    bedsSource: string
    budgetSecuredPct: number | null
    budgetSource: string | null
    hisCompatibility: number | null
    need: { value: number }
    feasibility: { value: number }
  } | null
}
interface Api {
  rows: ApiRow[]
  result: { feasible: boolean; selected?: string[] }
  params: { minLevel: string }
  priorityModel: { version: string } | null
}

const api = async (query: string) => {
  const r = await ministry.request(`/api/v1/waves?${query}`)
  expect(r.status, await r.clone().text()).toBe(200)
  return (await r.json()) as Api
}

const english = (path: string) =>
  fetch(`${server.origin}${path}`, {
    headers: { cookie: `${ministry.cookie ?? ''}; sansang_lang=en` },
  })

async function currentRound() {
  return db
    .selectFrom('rounds')
    .select(['id', 'scoring_model_id'])
    .orderBy('opens_on', 'desc')
    .executeTakeFirstOrThrow()
}

/** Rewrites an assessment's answers and declared score (raising the stamps the planner keeps). */
async function rewrite(
  assessmentId: number,
  patch: { answers?: Record<string, unknown>; resultJson?: string; compositeBp?: number },
) {
  const a = await db
    .selectFrom('assessments')
    .select(['answers', 'version'])
    .where('id', '=', assessmentId)
    .executeTakeFirstOrThrow()
  const answers = { ...(JSON.parse(a.answers) as Record<string, unknown>), ...patch.answers }
  await db
    .updateTable('assessments')
    .set({ answers: JSON.stringify(answers), version: a.version + 1 })
    .where('id', '=', assessmentId)
    .execute()
  await db
    .updateTable('scores')
    .set({
      computed_at: new Date().toISOString(),
      ...(patch.resultJson ? { result_json: patch.resultJson } : {}),
      ...(patch.compositeBp !== undefined ? { composite_bp: patch.compositeBp } : {}),
    })
    .where('assessment_id', '=', assessmentId)
    .execute()
}

beforeAll(async () => {
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('one order', () => {
  it('page, CSV, XLSX and JSON list rows exactly in the engine order, ties included', async () => {
    const round = await currentRound()
    // Three eligible public provincial facilities get the same stored score: one priority,
    // one gate subscore. Their need then decides, and it is made to run against code order:
    // the highest code gets the most beds in use. Display order by code would be wrong.
    const eligible = (await api('capacity=130')).rows.filter((r) => r.rank !== null)
    const candidates = await db
      .selectFrom('facilities')
      .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
      .select(['facilities.id', 'facilities.code', 'assessments.id as assessment_id'])
      .where('assessments.round_id', '=', round.id)
      .where('facilities.tier', '=', 'provincial')
      .where('facilities.ownership', '=', 'public')
      .where(
        'facilities.id',
        'in',
        eligible.map((r) => r.facilityId),
      )
      .orderBy('facilities.code')
      .execute()
    expect(candidates.length).toBeGreaterThanOrEqual(3)
    const trio = candidates.slice(0, 3)
    const source = await db
      .selectFrom('scores')
      .select(['result_json', 'composite_bp'])
      .where('assessment_id', '=', trio[0]?.assessment_id ?? 0)
      .where('basis', '=', 'declared')
      .executeTakeFirstOrThrow()
    const beds = [60, 500, 1000]
    for (const [i, f] of trio.entries()) {
      await rewrite(f.assessment_id, {
        answers: { beds_in_use: beds[i], emr_status: 'preparing' },
        resultJson: source.result_json,
        compositeBp: source.composite_bp,
      })
    }
    const plan = await api('capacity=130')
    const tied = plan.rows.filter((r) => trio.some((f) => f.id === r.facilityId))
    expect(new Set(tied.map((r) => r.priorityBp)).size).toBe(1)
    expect(new Set(tied.map((r) => r.rank)).size).toBe(1)
    expect(tied.map((r) => r.code)).toEqual(trio.map((f) => f.code).reverse())

    // The JSON rows are the engine's chain over the ranked ones, then the rest.
    const ranked = plan.rows.filter((r) => r.rank !== null)
    const keys = ranked.map((r) => ({
      facilityId: String(r.facilityId),
      code: r.code,
      priorityBp: r.priorityBp ?? 0,
      gateSubscoreBp: r.gateSubscoreBp ?? 0,
      needBp: r.needBp ?? 0,
    }))
    expect([...keys].sort(compareByTieBreak)).toEqual(keys)
    expect(plan.rows.slice(0, ranked.length)).toEqual(ranked)
    const order = plan.rows.map((r) => r.code)

    const csv = parseCsv(await (await ministry.request('/waves/export.csv?capacity=130')).text())
    const codeColumn = (csv[0] ?? []).indexOf('Mã cơ sở')
    expect(csv.slice(1).map((row) => row[codeColumn])).toEqual(order)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(
      await (await ministry.request('/waves/export.xlsx?capacity=130')).arrayBuffer(),
    )
    const sheet = workbook.getWorksheet('Xếp hạng')
    const xlsxCodes: unknown[] = []
    sheet?.eachRow((row, n) => {
      if (n > 1) xlsxCodes.push(row.getCell(2).value)
    })
    expect(xlsxCodes).toEqual(order)

    // The page's "ready now" table: the selected rows in the same order.
    const html = await (await ministry.request('/waves?capacity=130')).text()
    const ready = html.slice(html.indexOf('id="ready-title"'), html.indexOf('id="next-title"'))
    const pageCodes = [...ready.matchAll(/<td>([0-9]{5})<\/td>/g)].map((m) => m[1])
    expect(pageCodes).toEqual(plan.rows.filter((r) => r.selected).map((r) => r.code))
  })
})

describe('the published formulas', () => {
  it('recompute every priority of a weighted wave from the CSV alone', async () => {
    const query = 'objective=weighted&wReadiness=0.5&wNeed=0.3&wFeasibility=0.2&capacity=130'
    const rows = parseCsv(await (await english(`/waves/export.csv?${query}`)).text())
    const header = rows[0] ?? []
    const col = (name: string) => {
      const i = header.indexOf(name)
      if (i < 0) throw new Error(`no column ${name}`)
      return i
    }
    const clamp01 = (x: number) => Math.min(1, Math.max(0, x))
    // README "Priority", priority model 1.0.0, written out here independently of the code.
    const technical: Record<string, number> = { specialised: 1, basic: 0.5, initial: 0 }
    const referral: Record<string, number> = {
      national: 1,
      regional: 0.75,
      provincial: 0.5,
      district: 0.25,
      none: 0,
    }
    const autonomy: Record<string, number> = { '1': 1, '2': 0.67, '3': 0.33, '4': 0 }
    let checked = 0
    for (const row of rows.slice(1)) {
      const cell = (name: string) => row[col(name)] ?? ''
      if (cell('Priority (bp)') === '') continue
      const num = (name: string) => (cell(name) === '' ? null : Number(cell(name)))
      const need =
        0.4 * clamp01(((num('Beds') ?? 0) - 50) / 950) +
        0.3 * (cell('EMR deadline missed') === 'true' ? 1 : 0) +
        0.2 * (technical[cell('Technical level')] ?? 0) +
        0.1 * (referral[cell('Referral role')] ?? 0)
      const budget = clamp01((num('Budget secured (%)') ?? 0) / 100)
      const his = num('HIS compatibility (0–1)') ?? 0
      const group = cell('Autonomy group')
      const feasibility =
        group === 'notApplicable'
          ? (0.5 * budget + 0.2 * his) / 0.7
          : 0.5 * budget + 0.3 * (autonomy[group] ?? 0) + 0.2 * his
      const compositeBp = Math.round(Number(cell('Composite')) * 100)
      const priority = Math.round(
        10000 * (0.5 * (compositeBp / 10000) + 0.3 * need + 0.2 * feasibility),
      )
      expect(Math.abs((num('Need (0–1)') ?? -1) - need), cell('Code')).toBeLessThan(1e-12)
      expect(Math.abs((num('Feasibility (0–1)') ?? -1) - feasibility)).toBeLessThan(1e-12)
      expect(num('Priority (bp)'), cell('Code')).toBe(priority)
      checked++
    }
    expect(checked).toBeGreaterThan(20)
    // The terms tell facilities apart: none of them is the same for everyone.
    const distinct = (name: string) =>
      new Set(
        rows
          .slice(1)
          .filter((r) => r[col('Priority (bp)')] !== '')
          .map((r) => r[col(name)]),
      )
    for (const name of ['EMR deadline missed', 'Referral role', 'HIS compatibility (0–1)']) {
      expect(distinct(name).size, name).toBeGreaterThan(1)
    }
  })
})

describe('parameters the data refuses', () => {
  it('lists unknown facility and province codes and a level the model lacks, and plans nothing', async () => {
    const bad = async (query: string) => {
      const r = await ministry.request(`/api/v1/waves?${query}`)
      expect(r.status).toBe(400)
      return r.text()
    }
    expect(await bad(`costs=${encodeURIComponent('ZZ999=12\n01001=15\nQQ1=3')}`)).toContain(
      'Không có cơ sở mã ZZ999, QQ1 trong phạm vi của bạn.',
    )
    expect(await bad(`provinceQuotas=${encodeURIComponent('99=1-\n01=1-2')}`)).toContain(
      'Không có tỉnh mã 99.',
    )
    expect(await bad('minLevel=R7')).toContain('không có mức R7')
    // In the reader's language only, never both glued together.
    const inEnglish = await (await english('/api/v1/waves?minLevel=R7')).text()
    expect(inEnglish).toContain('has no level R7')
    expect(inEnglish).not.toContain('không có')
    // A province reviewer's scope: a facility of another province is unknown there.
    const thanhhoa = new TestClient(server.origin)
    await thanhhoa.signIn('soyte.thanhhoa')
    const r = await thanhhoa.request(`/api/v1/waves?costs=${encodeURIComponent('01001=15')}`)
    expect(r.status).toBe(400)
    // And the page shows the problem beside the field.
    const page = await (
      await ministry.request(`/waves?costs=${encodeURIComponent('ZZ999=12')}`)
    ).text()
    expect(page).toContain('Tham số chưa hợp lệ')
    expect(page).toContain('ZZ999')
  })
})

describe('the minimum level for "ready now"', () => {
  it('defaults to R2, excludes lower levels with the reason, and goes lower only when asked', async () => {
    const plan = await api('capacity=130')
    expect(plan.params.minLevel).toBe('R2')
    const order = ['R0', 'R1', 'R2', 'R3', 'R4']
    const selected = plan.rows.filter((r) => r.selected)
    expect(selected.length).toBeGreaterThan(0)
    expect(selected.every((r) => order.indexOf(r.level) >= 2)).toBe(true)
    expect(plan.rows.some((r) => r.exclusions.some((e) => e.kind === 'level'))).toBe(true)
    const lower = await api('capacity=130&minLevel=R1')
    expect(lower.rows.some((r) => r.selected && r.level === 'R1')).toBe(true)
    const params = await (await english('/waves/export.xlsx?capacity=12')).arrayBuffer()
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(params)
    const sheet = workbook.getWorksheet('Parameters')
    const values = new Map<unknown, unknown>()
    sheet?.eachRow((row) => values.set(row.getCell(1).value, row.getCell(2).value))
    expect(values.get('min_level')).toBe('R2')
    expect(String(values.get('priority_model'))).toContain('"version":"1.0.0"')
    expect(String(values.get('emr_deadlines'))).toContain('"hospital":"2025-09-30"')
  })
})

describe('verified means verified for every input', () => {
  it("a reviewer's budget and interoperability values drive the verified-basis plan", async () => {
    const round = await currentRound()
    // A submitted, eligible facility whose declared budget is well above zero.
    const declared = await api('capacity=130&objective=weighted')
    const target = declared.rows.find(
      (r) =>
        r.rank !== null &&
        (r.priorityInputs?.budgetSecuredPct ?? 0) >= 30 &&
        (r.priorityInputs?.hisCompatibility ?? 0) > 0,
    )
    if (!target) throw new Error('no eligible facility with a budget')
    const a = await db
      .selectFrom('assessments')
      .select(['id', 'version', 'status'])
      .where('facility_id', '=', target.facilityId)
      .where('round_id', '=', round.id)
      .executeTakeFirstOrThrow()
    if (a.status === 'verified') {
      await db
        .updateTable('assessments')
        .set({ status: 'submitted' })
        .where('id', '=', a.id)
        .execute()
    }
    let version = a.version
    for (const [question, value] of [
      ['emr_budget_secured_pct', '0'],
      ['interop_standards', 'level_0'],
      ['insurance_xml_exchange', 'level_0'],
      ['beds_in_use', '120'],
    ] as const) {
      const r = await ministry.request(`/review/${a.id}`, {
        form: {
          intent: 'verified-value',
          version: String(version),
          question,
          value,
          reason: 'Kiểm tra tại chỗ: chưa có quyết định cấp vốn, HIS chưa xuất XML.',
        },
      })
      expect(r.status, question).toBe(200)
      version++
    }
    const verify = await ministry.request(`/review/${a.id}`, {
      form: { intent: 'verify', version: String(version) },
    })
    expect(verify.status).toBe(200)

    const verified = await api('capacity=130&objective=weighted&basis=verified')
    const row = verified.rows.find((r) => r.facilityId === target.facilityId)
    expect(row?.priorityInputs).toMatchObject({
      budgetSecuredPct: 0,
      budgetSource: 'verified',
      hisCompatibility: 0,
    })
    // Beds in use, an unscored profile answer, take a verified value too.
    expect(row?.priorityInputs?.bedsSource).toBe('verified')
    expect(row?.priorityInputs?.beds).toBe(120)
    expect(row?.priorityInputs?.feasibility.value ?? 1).toBeLessThan(
      target.priorityInputs?.feasibility.value ?? 0,
    )
    // The declared basis still reads what the facility declared.
    const again = await api('capacity=130&objective=weighted')
    expect(
      again.rows.find((r) => r.facilityId === target.facilityId)?.priorityInputs,
    ).toMatchObject({ budgetSecuredPct: target.priorityInputs?.budgetSecuredPct })
  })
})

describe('answer rules', () => {
  it('refuse an unconfirmed "not applicable" at save, with the message, storing nothing', async () => {
    const round = await currentRound()
    const director = new TestClient(server.origin)
    await director.signIn('giamdoc.thanhhoa')
    const current = () =>
      db
        .selectFrom('assessments')
        .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
        .select(['assessments.version', 'assessments.answers'])
        .where('facilities.code', '=', '38001')
        .where('assessments.round_id', '=', round.id)
        .executeTakeFirst()
    const save = async (changes: Record<string, unknown>) =>
      director.request('/assessment/save', {
        json: {
          roundId: round.id,
          baseVersion: (await current())?.version ?? 0,
          changes,
          currentPage: 0,
        },
      })
    // 38001 is a public hospital with imaging in the registry.
    for (const [changes, text] of [
      [{ autonomy_group: 'na' }, 'Nghị định 60/2021'],
      [{ has_imaging: 'no' }, 'chẩn đoán hình ảnh'],
    ] as const) {
      const r = await save(changes)
      expect(r.status).toBe(422)
      const body = (await r.json()) as {
        errors: Array<{ question: string; message: { vi: string } }>
      }
      expect(body.errors[0]?.question).toBe(Object.keys(changes)[0])
      expect(body.errors[0]?.message.vi).toContain(text)
    }
    const stored = JSON.parse((await current())?.answers ?? '{}') as Record<string, unknown>
    expect(stored).not.toHaveProperty('autonomy_group')
    expect(stored).not.toHaveProperty('has_imaging')
    // A group the registry allows is accepted.
    expect((await save({ autonomy_group: 'group_2' })).status).toBe(200)
  })

  it('accept "not applicable" where the registry confirms it (a private hospital)', async () => {
    const round = await currentRound()
    const model = await getScoringModel(db, round.scoring_model_id)
    const privateOne = await db
      .selectFrom('facilities')
      .select('id')
      .where('ownership', '=', 'private')
      .executeTakeFirstOrThrow()
    const publicOne = await db
      .selectFrom('facilities')
      .select('id')
      .where('ownership', '=', 'public')
      .executeTakeFirstOrThrow()
    const check = (facilityId: number) =>
      checkAnswerRules(db, { facilityId, model, answers: { autonomy_group: 'na' } })
    expect((await check(privateOne.id)).refused).toEqual([])
    expect((await check(publicOne.id)).refused.map((r) => r.question)).toEqual(['autonomy_group'])
  })

  it('flag contradictions in the wave lists, the CSV and the review page', async () => {
    const round = await currentRound()
    const eligible = (await api('capacity=130')).rows.find(
      (r) => r.rank !== null && r.dataQuality.length === 0,
    )
    if (!eligible) throw new Error('no eligible facility')
    await db
      .updateTable('facilities')
      .set({ emr_status: 'none' })
      .where('id', '=', eligible.facilityId)
      .execute()
    const a = await db
      .selectFrom('assessments')
      .select('id')
      .where('facility_id', '=', eligible.facilityId)
      .where('round_id', '=', round.id)
      .executeTakeFirstOrThrow()
    // "EMR live, paperless" while the registry says none.
    await rewrite(a.id, { answers: { emr_status: 'live_paperless' } })
    const plan = await api('capacity=130')
    expect(plan.rows.find((r) => r.facilityId === eligible.facilityId)?.dataQuality).toContain(
      'DQ1',
    )
    const csv = parseCsv(await (await english('/waves/export.csv?capacity=130')).text())
    const header = csv[0] ?? []
    const line = csv.find((row) => row[header.indexOf('Code')] === eligible.code)
    expect(line?.[header.indexOf('Contradictions')]).toContain(
      'DQ1: The facility says its EMR is live but the registry says it has none.',
    )
    const page = await (await ministry.request('/waves?capacity=130')).text()
    expect(page).toContain('<abbr title="Cơ sở khai đã vận hành bệnh án điện tử')
    const review = await (await ministry.request(`/review/${a.id}`)).text()
    expect(review).toContain('DQ1')
  })
})
