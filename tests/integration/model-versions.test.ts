/**
 * Questionnaire and model versions through the real server: uploads (each
 * refusal, nothing stored), immutability enforced by the database, the
 * rank-change preview checked against an independent computation (the
 * engine per facility, a plain O(n²) Kendall τ-b), its XLSX, and re-scoring
 * as new rows that leave the round's own rows and current scores alone.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { createHash } from 'node:crypto'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import questionnaireJson from '../../db/content/questionnaire-v1.json' with { type: 'json' }
import scoringModelJson from '../../db/content/scoring-model-v1.1.json' with { type: 'json' }
import { contentChecksum } from '../../db/seed-content.ts'
import { getCurrentScore } from '../../app/models/score.server.ts'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
let admin: TestClient
const { db } = openTestDatabase()

beforeAll(async () => {
  server = await startTestServer()
  admin = new TestClient(server.origin)
  expect((await admin.signIn('quantri')).status).toBe(302)
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

/** Model 1.1.0 with other domain weights and a higher R2 threshold, as version 1.2.0. */
function newModelJson(version = '1.2.0') {
  const model = structuredClone(scoringModelJson) as {
    version: string
    domains: Array<{ id: string; weight: number }>
    levels: Array<{ id: string; minComposite: number }>
  }
  model.version = version
  const weights: Record<string, number> = {
    it_workforce: 0.3,
    infrastructure: 0.1,
    cybersecurity: 0.1,
    software_interoperability: 0.2,
    governance_financing: 0.2,
    user_readiness: 0.1,
  }
  for (const d of model.domains) d.weight = weights[d.id] ?? Number.NaN
  for (const l of model.levels) if (l.id === 'R2') l.minComposite = 58
  return model
}

function form(parts: {
  modelFile?: string
  modelText?: string
  questionnaireFile?: string
  questionnaireText?: string
  questionnaireVersion?: string
}): FormData {
  const body = new FormData()
  for (const [key, value] of Object.entries(parts)) {
    if (value === undefined) continue
    if (key.endsWith('File')) {
      body.set(key, new File([value], `${key}.json`, { type: 'application/json' }))
    } else body.set(key, value)
  }
  return body
}

const upload = (parts: Parameters<typeof form>[0]) =>
  admin.request('/admin/models/new', { body: form(parts) })

async function counts() {
  const q = await db
    .selectFrom('questionnaires')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const m = await db
    .selectFrom('scoring_models')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { questionnaires: Number(q.n), models: Number(m.n) }
}

async function currentRound() {
  return db
    .selectFrom('rounds')
    .select(['id', 'scoring_model_id', 'questionnaire_id'])
    .where('name', '=', 'Đợt 2026')
    .executeTakeFirstOrThrow()
}

/** Kendall τ-b by its definition, over every pair (independent of robustness.ts). */
function tauB(x: number[], y: number[]): number | null {
  let concordant = 0
  let discordant = 0
  let tiesX = 0
  let tiesY = 0
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign((x[i] ?? 0) - (x[j] ?? 0))
      const dy = Math.sign((y[i] ?? 0) - (y[j] ?? 0))
      if (dx === 0 && dy === 0) continue
      if (dx === 0) tiesX++
      else if (dy === 0) tiesY++
      else if (dx === dy) concordant++
      else discordant++
    }
  }
  const d = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY))
  return d === 0 ? null : (concordant - discordant) / d
}

describe('uploading versions', () => {
  it('refuses each kind of bad upload with its reason and stores nothing', async () => {
    const before = await counts()
    const refusals: Array<[Parameters<typeof form>[0], number, string]> = [
      [{}, 400, 'Không có gì để lưu'],
      [{ modelText: '{"id": ' }, 422, 'không phải JSON hợp lệ'],
      [{ modelFile: 'x', modelText: '{}' }, 400, 'cả dạng tệp lẫn văn bản'],
      [{ questionnaireText: JSON.stringify(questionnaireJson) }, 400, 'cần số phiên bản'],
      [
        { questionnaireText: JSON.stringify(questionnaireJson), questionnaireVersion: 'v2' },
        400,
        '“v2” không phải số phiên bản',
      ],
      // The shipped model again, under its own version.
      [{ modelFile: JSON.stringify(scoringModelJson) }, 409, 'vn-emr-readiness 1.1.0 đã được lưu'],
      [
        { questionnaireText: JSON.stringify(questionnaireJson), questionnaireVersion: '1.0.0' },
        409,
        '1.0.0 đã được lưu',
      ],
      [
        { modelText: JSON.stringify({ ...newModelJson(), questionnaireVersion: '9.9.9' }) },
        422,
        'bộ câu hỏi 9.9.9, bộ này chưa được lưu',
      ],
      [{ modelText: 'x'.repeat(2 * 1024 * 1024 + 1) }, 413, 'lớn hơn 2 MB'],
    ]
    for (const [parts, status, message] of refusals) {
      const response = await upload(parts)
      expect(response.status, message).toBe(status)
      expect(await response.text(), message).toContain(message)
    }
    expect(await counts()).toEqual(before)
  })

  it('names each problem of an invalid model or questionnaire: item, expected, found', async () => {
    const before = await counts()
    const badWeights = newModelJson('1.2.1')
    const first = badWeights.domains[0]
    if (first) first.weight = 0.5
    const weights = await upload({ modelText: JSON.stringify(badWeights) })
    expect(weights.status).toBe(422)
    const weightsHtml = await weights.text()
    expect(weightsHtml).toContain('data-testid="upload-problems"')
    expect(weightsHtml).toMatch(/domain weights sum to 1\.2/)

    const notAsked = newModelJson('1.2.2') as ReturnType<typeof newModelJson> & {
      items: Array<{ id: string }>
    }
    // An item nothing else names (no gate, floor or rule), renamed.
    const text = JSON.stringify(notAsked)
    const item = notAsked.items.find((i) => text.split(`"${i.id}"`).length === 2)
    if (!item) throw new Error('every item is named elsewhere')
    item.id = 'not_in_questionnaire'
    const pair = await upload({ modelText: JSON.stringify(notAsked) })
    expect(pair.status).toBe(422)
    const pairHtml = await pair.text()
    expect(pairHtml).toContain('Mục “not_in_questionnaire” được chấm nhưng bộ câu hỏi không hỏi.')

    const badSurvey = { pages: [{ name: 'p', elements: [{ type: 'text', name: 'a', colour: 1 }] }] }
    const survey = await upload({
      questionnaireText: JSON.stringify(badSurvey),
      questionnaireVersion: '2.0.0',
    })
    expect(survey.status).toBe(422)
    expect(await survey.text()).toContain(
      'Unknown property in class &#x27;text&#x27;: &#x27;colour&#x27;.',
    )

    // A NUL written as a JSON escape passes the body check (the text holds "\u0000", six
    // printable characters) and is refused once parsed, with where it is.
    const nul = JSON.stringify({ ...newModelJson('1.2.3'), note: 'a\u0000b' })
    expect(nul).toContain('\\u0000')
    const control = await upload({ modelText: nul })
    expect(control.status).toBe(422)
    const controlHtml = await control.text()
    expect(controlHtml).toContain('“note” chứa ký tự điều khiển, không lưu được.')
    expect(controlHtml).toContain('U+0000')
    expect(await counts()).toEqual(before)
  })

  it('stores a valid model with the shipped content hash rule, audited, and goes to its preview', async () => {
    const json = newModelJson()
    const response = await upload({ modelFile: JSON.stringify(json) })
    expect(response.status).toBe(302)
    const row = await db
      .selectFrom('scoring_models')
      .select(['id', 'json', 'sha256'])
      .where('version', '=', '1.2.0')
      .executeTakeFirstOrThrow()
    expect(response.headers.get('location')).toBe(`/admin/models/preview?model=${row.id}`)
    expect(row.sha256).toBe(contentChecksum(parseScoringModel(json)))
    expect(row.sha256).toBe(createHash('sha256').update(row.json).digest('hex'))
    const audit = await db
      .selectFrom('audit_log')
      .select(['detail_json'])
      .where('action', '=', 'models.upload')
      .where('entity_id', '=', String(row.id))
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail_json)).toEqual({
      model: { id: 'vn-emr-readiness', version: '1.2.0', sha256: row.sha256 },
    })
    // Listed, with no round using it yet.
    const list = await admin.request('/admin/models')
    const html = await list.text()
    expect(html).toContain(row.sha256.slice(0, 16))
    // The same version again: refused, whatever its content.
    const again = await upload({ modelText: JSON.stringify(newModelJson()) })
    expect(again.status).toBe(409)
  })

  it('stores a questionnaire with a model that scores it', async () => {
    const model = { ...newModelJson('2.0.0'), questionnaireVersion: '1.0.1' }
    const response = await upload({
      questionnaireText: JSON.stringify(questionnaireJson),
      questionnaireVersion: '1.0.1',
      modelText: JSON.stringify(model),
    })
    expect(response.status).toBe(302)
    const q = await db
      .selectFrom('questionnaires')
      .select(['json', 'sha256'])
      .where('version', '=', '1.0.1')
      .executeTakeFirstOrThrow()
    expect(q.sha256).toBe(contentChecksum(questionnaireJson))
  })
})

describe('immutability', () => {
  it('refuses, in the database, any change to a stored version and deleting one in use', async () => {
    const round = await currentRound()
    await expect(
      sql`UPDATE scoring_models SET json = '{}' WHERE id = ${round.scoring_model_id}`.execute(db),
    ).rejects.toThrow(/immutable/)
    await expect(
      sql`UPDATE scoring_models SET sha256 = ${'0'.repeat(64)} WHERE version = '1.2.0'`.execute(db),
    ).rejects.toThrow(/immutable/)
    await expect(
      sql`UPDATE questionnaires SET version = '7.0.0' WHERE id = ${round.questionnaire_id}`.execute(
        db,
      ),
    ).rejects.toThrow(/immutable/)
    await expect(
      sql`DELETE FROM scoring_models WHERE id = ${round.scoring_model_id}`.execute(db),
    ).rejects.toThrow(/used by a round/)
    await expect(
      sql`DELETE FROM questionnaires WHERE id = ${round.questionnaire_id}`.execute(db),
    ).rejects.toThrow(/used by a round/)
    await expect(
      sql`INSERT INTO questionnaires (version, json, sha256, created_at) VALUES ('8.0.0', '{}', 'abc', '2026-01-01')`.execute(
        db,
      ),
    ).rejects.toThrow(/64 lowercase hex/)
  })
})

describe('the preview', () => {
  it('matches an independent scoring of every facility, on the page and in the XLSX', async () => {
    const round = await currentRound()
    const model = await db
      .selectFrom('scoring_models')
      .select(['id', 'json'])
      .where('version', '=', '1.2.0')
      .executeTakeFirstOrThrow()
    const oldModel = parseScoringModel(scoringModelJson)
    const newModel = parseScoringModel(JSON.parse(model.json))
    const assessments = await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select(['facilities.code', 'assessments.answers'])
      .where('assessments.round_id', '=', round.id)
      .where('assessments.status', 'in', ['submitted', 'verified'])
      .where('facilities.closed_at', 'is', null)
      .orderBy('facilities.code')
      .execute()
    const expected = assessments.map((a) => {
      const answers = JSON.parse(a.answers) as Record<string, unknown>
      return {
        code: a.code,
        old: scoreAssessment(oldModel, answers),
        new: scoreAssessment(newModel, answers),
      }
    })
    expect(expected.length).toBeGreaterThan(10)
    const changed = expected.filter((e) => e.old.level.id !== e.new.level.id).length
    expect(changed).toBeGreaterThan(0)
    const tau = tauB(
      expected.map((e) => e.old.compositeBp),
      expected.map((e) => e.new.compositeBp),
    )
    if (tau === null) throw new Error('τ-b undefined for the demo round')

    const path = `/admin/models/preview?round=${round.id}&model=${model.id}`
    const page = await admin.request(path)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`data-testid="level-changed">${changed}<`)
    expect(html).toContain(`data-testid="kendall-tau">${tau.toFixed(3).replace('.', ',')}<`)
    expect(html).toContain('Cơ sở: câu trả lời tự khai ở cả hai bên')

    const xlsx = await admin.request(
      `/admin/models/preview.xlsx?round=${round.id}&model=${model.id}`,
    )
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await xlsx.arrayBuffer())
    const sheet = workbook.worksheets[0]
    if (!sheet) throw new Error('no sheet')
    const rows = new Map<string, { old: number; oldLevel: string; new: number; newLevel: string }>()
    sheet.eachRow((row, n) => {
      if (n === 1) return
      rows.set(String(row.getCell(1).value), {
        old: Number(row.getCell(4).value),
        oldLevel: String(row.getCell(5).value),
        new: Number(row.getCell(7).value),
        newLevel: String(row.getCell(8).value),
      })
    })
    expect(rows.size).toBe(expected.length)
    for (const e of expected) {
      expect(rows.get(e.code), e.code).toEqual({
        old: e.old.compositeBp / 100,
        oldLevel: e.old.level.id,
        new: e.new.compositeBp / 100,
        newLevel: e.new.level.id,
      })
    }
    // Entering and leaving the default wave: the page's counts are the file's marks.
    const marks = [...Array(sheet.rowCount).keys()].map((i) =>
      String(sheet.getRow(i + 2).getCell(12).value ?? ''),
    )
    const entering = marks.filter((m) => m === '+').length
    const leaving = marks.filter((m) => m === '−').length
    expect(html).toContain(`Vào đợt (${entering})`)
    expect(html).toContain(`Ra khỏi đợt (${leaving})`)
  })

  it('refuses a model for another questionnaire, and unknown rounds or models', async () => {
    const round = await currentRound()
    const other = await db
      .selectFrom('scoring_models')
      .select('id')
      .where('version', '=', '2.0.0')
      .executeTakeFirstOrThrow()
    const mismatch = await admin.request(
      `/admin/models/preview?round=${round.id}&model=${other.id}`,
    )
    expect(mismatch.status).toBe(422)
    expect(await mismatch.text()).toContain('mô hình này chấm bộ câu hỏi 1.0.1')
    expect(
      (await admin.request(`/admin/models/preview?round=999999&model=${other.id}`)).status,
    ).toBe(404)
    expect((await admin.request(`/admin/models/preview.xlsx?round=${round.id}`)).status).toBe(400)
  })
})

describe('re-scoring', () => {
  it('writes new rows under the new model, keeps the old rows and the current scores', async () => {
    const round = await currentRound()
    const model = await db
      .selectFrom('scoring_models')
      .select('id')
      .where('version', '=', '1.2.0')
      .executeTakeFirstOrThrow()
    const ownRows = () =>
      db
        .selectFrom('scores')
        .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
        .select([
          'scores.id',
          'scores.assessment_id',
          'scores.basis',
          'scores.result_json',
          'scores.computed_at',
        ])
        .where('assessments.round_id', '=', round.id)
        .where('scores.scoring_model_id', '=', round.scoring_model_id)
        .orderBy('scores.id')
        .execute()
    const before = await ownRows()
    const sample = before.slice(0, 5).map((r) => r.assessment_id)
    const currentBefore = await Promise.all(sample.map((id) => getCurrentScore(db, id)))

    const own = await admin.request('/admin/models/preview', {
      form: { intent: 'rescore', round: String(round.id), model: String(round.scoring_model_id) },
    })
    expect(own.status).toBe(400)

    const response = await admin.request('/admin/models/preview', {
      form: { intent: 'rescore', round: String(round.id), model: String(model.id) },
    })
    expect(response.status).toBe(200)
    const newRows = await db
      .selectFrom('scores')
      .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
      .select([
        'scores.assessment_id',
        'scores.basis',
        'scores.composite_bp',
        'assessments.answers',
      ])
      .where('assessments.round_id', '=', round.id)
      .where('scores.scoring_model_id', '=', model.id)
      .execute()
    // One new row for each row of the round's own model, same assessment and basis.
    expect(newRows.map((r) => `${r.assessment_id}|${r.basis}`).sort()).toEqual(
      before.map((r) => `${r.assessment_id}|${r.basis}`).sort(),
    )
    const newModel = parseScoringModel(newModelJson())
    for (const r of newRows.filter((row) => row.basis === 'declared').slice(0, 50)) {
      expect(r.composite_bp).toBe(scoreAssessment(newModel, JSON.parse(r.answers)).compositeBp)
    }
    expect(await ownRows()).toEqual(before)
    expect(await Promise.all(sample.map((id) => getCurrentScore(db, id)))).toEqual(currentBefore)
    const audit = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'models.rescore')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail_json)).toMatchObject({
      scoringModelId: model.id,
      declared: newRows.filter((r) => r.basis === 'declared').length,
      verified: newRows.filter((r) => r.basis === 'verified').length,
    })

    // A second re-score of the same round and model: refused, nothing rewritten.
    const again = await admin.request('/admin/models/preview', {
      form: { intent: 'rescore', round: String(round.id), model: String(model.id) },
    })
    expect(again.status).toBe(409)
    const after = await db
      .selectFrom('scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('scoring_model_id', '=', model.id)
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(newRows.length)
    // A version that scored something can no longer be deleted.
    await expect(
      sql`DELETE FROM scoring_models WHERE id = ${model.id}`.execute(db),
    ).rejects.toThrow(/has scores/)
  })
})
