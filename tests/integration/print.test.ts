/**
 * The facility's paper copies: the blank form lists every question of the
 * round's questionnaire with its choices and conditions; the printed
 * response shows each shown question with its answer as labels, in the
 * reader's language, and once submitted carries the submission's receipt.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let roundId: number
let director: TestClient // giamdoc.thanhhoa, whose facility starts the round empty
let staff: TestClient

interface Choice {
  value: string
  text: { default: string; en: string }
}
interface Question {
  name: string
  type: string
  title: { default: string; en: string }
  visibleIf?: string
  choices?: Choice[]
}
const questionnaire = JSON.parse(readFileSync('db/content/questionnaire-v1.json', 'utf8')) as {
  pages: Array<{ elements: Question[] }>
}
const questions = questionnaire.pages.flatMap((p) => p.elements)
const sample = JSON.parse(
  readFileSync('db/content/samples/provincial-middle.json', 'utf8'),
) as Record<string, unknown>

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()

/** Each printed question: its name and the text of its answer (or of the whole item on a blank form). */
function printedQuestions(html: string): Map<string, { item: string; answer: string | null }> {
  const out = new Map<string, { item: string; answer: string | null }>()
  for (const m of html.matchAll(
    /<li class="print-question" data-question="([a-z0-9_]+)">(.*?)<\/li>(?=<li class="print-question"|<\/ol>)/gs,
  )) {
    const answer = /data-testid="print-answer">(.*?)<\/p>/s.exec(m[2] ?? '')?.[1]
    out.set(m[1] ?? '', {
      item: decode(m[2] ?? ''),
      answer: answer === undefined ? null : decode(answer),
    })
  }
  return out
}

async function page(client: TestClient, path: string, lang?: 'en') {
  const response = lang
    ? await fetch(`${server.origin}${path}`, {
        headers: { cookie: `${client.cookie}; sansang_lang=${lang}` },
        redirect: 'manual',
      })
    : await client.request(path)
  expect(response.status, path).toBe(200)
  return response.text()
}

beforeAll(async () => {
  server = await startTestServer()
  roundId = (
    await db.selectFrom('rounds').select('id').orderBy('opens_on', 'desc').executeTakeFirstOrThrow()
  ).id
  director = new TestClient(server.origin)
  expect((await director.signIn('giamdoc.thanhhoa')).status).toBe(302)
  staff = new TestClient(server.origin)
  expect((await staff.signIn('nhanvien.thanhhoa')).status).toBe(302)
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('the blank form', () => {
  it('lists every question with its choices, and says when a conditional one is answered', async () => {
    const printed = printedQuestions(await page(staff, '/assessment/blank'))
    expect([...printed.keys()]).toEqual(questions.map((q) => q.name))
    for (const q of questions) {
      const item = printed.get(q.name)?.item ?? ''
      expect(item, q.name).toContain(q.title.default)
      for (const c of q.choices ?? [])
        expect(item, `${q.name}: ${c.value}`).toContain(c.text.default)
    }
    const imaging = questions.find((q) => q.name === 'has_imaging')
    const yes = imaging?.choices?.find((c) => c.value === 'yes')?.text.default ?? 'missing'
    // Numbered as on screen: conditional questions hidden by the empty answers take no number.
    const number =
      questions.filter((q) => !q.visibleIf).findIndex((q) => q.name === 'has_imaging') + 1
    expect(printed.get('ris_pacs_status')?.item).toContain(
      `Chỉ trả lời nếu ở câu ${number} đã chọn “${yes}”.`,
    )
    // The questions nothing hides carry no condition.
    expect(printed.get('has_imaging')?.item).not.toContain('Chỉ trả lời')
  })

  it('is printed in English for an English reader', async () => {
    const number =
      questions.filter((q) => !q.visibleIf).findIndex((q) => q.name === 'has_imaging') + 1
    const printed = printedQuestions(await page(staff, '/assessment/blank', 'en'))
    const q = questions[0]
    expect(printed.get(q?.name ?? '')?.item).toContain(q?.title.en)
    expect(printed.get('ris_pacs_status')?.item).toContain(
      `Answer only if you chose “Yes” at question ${number}.`,
    )
  })
})

describe("the facility's response", () => {
  it('before any answer: every question, each not answered', async () => {
    const html = await page(director, '/assessment/print')
    expect(html).toContain('Chưa bắt đầu')
    const printed = printedQuestions(html)
    expect(printed.size).toBeGreaterThan(0)
    for (const [name, { answer }] of printed) expect(answer, name).toBe('(chưa trả lời)')
  })

  it('shows the answers as labels, only the questions shown, and the receipt once submitted', async () => {
    const saved = await director.request('/assessment/save', {
      json: { roundId, baseVersion: 0, changes: sample, currentPage: 6 },
    })
    expect(saved.status).toBe(200)
    const version = ((await saved.json()) as { version: number }).version
    const submitted = await director.request('/assessment/submit', {
      json: { roundId, version, submissionId: crypto.randomUUID(), password: DEMO_PASSWORD },
    })
    expect(submitted.status).toBe(200)
    const { receipt } = (await submitted.json()) as { receipt: { answersSha256: string } }

    for (const lang of [undefined, 'en'] as const) {
      const html = await page(staff, '/assessment/print', lang)
      const printed = printedQuestions(html)
      for (const q of questions) {
        const value = sample[q.name]
        const entry = printed.get(q.name)
        if (value === undefined) continue
        const label = (v: unknown) => {
          const text = q.choices?.find((c) => c.value === v)?.text
          return text ? (lang === 'en' ? text.en : text.default) : String(v)
        }
        const expected = Array.isArray(value) ? value.map(label) : [label(value)]
        for (const part of expected) expect(entry?.answer, q.name).toContain(part)
      }
      // A question the sample's answers hide is not printed; one they open is.
      for (const q of questions.filter((x) => x.visibleIf)) {
        const [, parent, values] =
          /^\{(\w+)\} (?:=|anyof) \[?(.*?)\]?$/.exec(q.visibleIf ?? '') ?? []
        const opens = (values ?? '').split(', ').map((v) => v.slice(1, -1))
        expect(printed.has(q.name), q.name).toBe(opens.includes(String(sample[parent ?? ''])))
      }
      expect(html).toContain(lang === 'en' ? 'Submitted' : 'Đã nộp')
      expect(html).toContain(receipt.answersSha256)
    }
  })
})
