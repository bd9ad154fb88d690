import { Serializer } from 'survey-core'
import { describe, expect, it } from 'vitest'
import {
  EVIDENCE_SUFFIX,
  QUESTIONNAIRE_VERSION,
  STATUS_SUFFIX,
  UNSCORED_PROFILE_QUESTIONS,
  listPages,
  listQuestions,
  offeredValues,
  parseCondition,
  questionnaireV1,
  scoringModelV1,
  unscoredReason,
} from '../../../db/content/questionnaire.ts'
import questionnaireJson from '../../../db/content/questionnaire-v1.json' with { type: 'json' }
import scoringModelJson from '../../../db/content/scoring-model-v1.json' with { type: 'json' }
import { WEIGHT_SUM_TOLERANCE, parseScoringModel } from '../../../scoring/model-schema.ts'

const model = scoringModelV1
const questions = listQuestions(questionnaireV1)
const byName = new Map(questions.map((q) => [q.name, q]))
const items = new Map(model.items.map((i) => [i.id, i]))
const TOKENS = new Set([model.tokens.notApplicable, model.tokens.dontKnow])

/** Letters that only Vietnamese (among our two languages) uses. */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/iu

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

describe('scoring model v1', () => {
  it('passes parseScoringModel and names itself', () => {
    const parsed = parseScoringModel(scoringModelJson)
    expect(parsed.id).toBe('vn-emr-readiness')
    expect(parsed.version).toBe('1.0.0')
    expect(parsed.questionnaireVersion).toBe(QUESTIONNAIRE_VERSION)
    expect(parsed.completenessThreshold).toBe(0.9)
  })

  it('uses the domain weights of readiness-models §9.1', () => {
    expect(model.domains.map((d) => [d.id, d.weight])).toEqual([
      ['it_workforce', 0.15],
      ['infrastructure', 0.2],
      ['cybersecurity', 0.2],
      ['software_interoperability', 0.2],
      ['governance_financing', 0.15],
      ['user_readiness', 0.1],
    ])
  })

  it('has item weights summing to 1 within 1e-9 in every domain', () => {
    for (const d of model.domains) {
      const sum = model.items.filter((i) => i.domainId === d.id).reduce((a, i) => a + i.weight, 0)
      expect(Math.abs(sum - 1), d.id).toBeLessThanOrEqual(WEIGHT_SUM_TOLERANCE)
    }
  })

  it('has 60–90 scored items, at least 8 per domain', () => {
    expect(model.items.length).toBeGreaterThanOrEqual(60)
    expect(model.items.length).toBeLessThanOrEqual(90)
    for (const d of model.domains) {
      expect(model.items.filter((i) => i.domainId === d.id).length, d.id).toBeGreaterThanOrEqual(8)
    }
  })

  it('has gates G1–G6 on evidence-required items, G5 and G6 configurable', () => {
    expect(model.gates.map((g) => g.id)).toEqual(['G1', 'G2', 'G3', 'G4', 'G5', 'G6'])
    for (const g of model.gates) {
      expect(g.condition.kind).toBe('item')
      if (g.condition.kind !== 'item') continue
      expect(items.get(g.condition.itemId)?.evidenceRequired, g.id).toBe(true)
      expect(g.configurable, g.id).toBe(g.id === 'G5' || g.id === 'G6')
    }
    const gateItems = new Set(
      model.gates.flatMap((g) => (g.condition.kind === 'item' ? [g.condition.itemId] : [])),
    )
    for (const item of model.items) {
      expect(item.evidenceRequired, item.id).toBe(gateItems.has(item.id))
    }
  })

  it('has levels R0–R4 as in readiness-models §9.4', () => {
    expect(model.levels.map((l) => [l.id, l.minComposite, l.gateIds])).toEqual([
      ['R0', 0, []],
      ['R1', 40, ['G1']],
      ['R2', 55, ['G1', 'G2', 'G4']],
      ['R3', 70, ['G1', 'G2', 'G3', 'G4']],
      ['R4', 80, ['G1', 'G2', 'G3', 'G4', 'G5', 'G6']],
    ])
  })

  it('writes every text in NFC, with Vietnamese in vi and none in en', () => {
    const texts: { vi: string; en: string; where: string; unit: boolean }[] = [
      { ...model.title, where: 'title', unit: false },
    ]
    for (const d of model.domains) {
      texts.push(
        { ...d.title, where: d.id, unit: false },
        { ...d.rationale, where: d.id, unit: false },
      )
    }
    for (const i of model.items) {
      texts.push(
        { ...i.rationale, where: i.id, unit: false },
        { ...i.recommendation, where: i.id, unit: false },
      )
      if (i.rule.type === 'number') texts.push({ ...i.rule.unit, where: i.id, unit: true })
    }
    for (const g of [...model.gates, ...model.levels]) {
      texts.push(
        { ...g.title, where: g.id, unit: false },
        { ...g.description, where: g.id, unit: false },
      )
    }
    for (const t of texts) {
      expect(t.vi, t.where).toBe(t.vi.normalize('NFC'))
      expect(t.en, t.where).toBe(t.en.normalize('NFC'))
      if (!t.unit || t.vi !== t.en) expect(t.vi, t.where).toMatch(VIETNAMESE_LETTER)
      expect(t.en, t.where).not.toMatch(VIETNAMESE_LETTER)
    }
  })

  it('gives every item a source and marks unverified goalposts in the rationale', () => {
    for (const i of model.items) {
      expect(i.source.length, i.id).toBeGreaterThan(5)
      if (i.rule.type === 'number') {
        // Only goalposts from policy norms may go unmarked; v1 has none of those.
        expect(i.rationale.en, i.id).toMatch(/UNVERIFIED/)
        expect(i.rationale.vi, i.id).toMatch(/CHƯA KIỂM CHỨNG/)
      }
    }
  })
})

describe('questionnaire v1 ↔ scoring model v1', () => {
  it('has unique lower_snake_case question names and no dropdown or tagbox', () => {
    const names = questions.map((q) => q.name)
    expect(new Set(names).size).toBe(names.length)
    for (const q of questions) {
      expect(q.name).toMatch(/^[a-z][a-z0-9_]*$/)
      expect(['dropdown', 'tagbox'], q.name).not.toContain(q.type)
    }
  })

  it('asks every scored item', () => {
    for (const item of model.items) expect(byName.has(item.id), item.id).toBe(true)
  })

  it('scores every question or marks it deliberately unscored', () => {
    for (const q of questions) {
      const reason = unscoredReason(q.name)
      if (items.has(q.name)) {
        expect(reason, q.name).toBeNull()
        continue
      }
      expect(reason, `${q.name} is neither scored nor listed as unscored`).not.toBeNull()
      if (reason === 'evidence') {
        const item = items.get(q.name.slice(0, -EVIDENCE_SUFFIX.length))
        expect(item?.evidenceRequired, q.name).toBe(true)
      }
      if (reason === 'status') {
        const item = items.get(q.name.slice(0, -STATUS_SUFFIX.length))
        expect(item?.statusQuestion, q.name).toBe(q.name)
      }
    }
    for (const name of UNSCORED_PROFILE_QUESTIONS) expect(byName.has(name), name).toBe(true)
  })

  it('puts the profile first and one page per domain, each with an intro', () => {
    const pages = listPages(questionnaireV1)
    expect(pages.map((p) => p.name)).toEqual([
      'facility_profile',
      ...model.domains.map((d) => d.id),
    ])
    for (const page of pages) {
      expect(page.description?.default.length ?? 0, page.name).toBeGreaterThan(40)
      const scored = listQuestions({ pages: [page] }).filter((q) => items.has(q.name))
      for (const q of scored) expect(items.get(q.name)?.domainId, q.name).toBe(page.name)
    }
  })

  it('offers exactly the scored choices, plus the tokens the item allows', () => {
    for (const item of model.items) {
      const q = byName.get(item.id)
      if (!q) continue
      const offered = offeredValues(q)
      const rule = item.rule
      let scored: string[]
      if (rule.type === 'choice') scored = Object.keys(rule.scores)
      else if (rule.type === 'yesNo') scored = ['yes', 'no']
      else if (rule.type === 'checklist')
        scored = [...rule.options, ...(rule.noneValue ? [rule.noneValue] : [])]
      else {
        expect(q.type, item.id).toBe('text')
        expect(q.inputType, item.id).toBe('number')
        continue
      }
      expect(q.type, item.id).toBe(rule.type === 'checklist' ? 'checkbox' : 'radiogroup')
      const tokens = offered.filter((v) => TOKENS.has(v))
      expect(offered.filter((v) => !TOKENS.has(v)).sort(), item.id).toEqual([...scored].sort())
      expect(tokens.includes(model.tokens.dontKnow), item.id).toBe(item.allowDontKnow)
      expect(tokens.includes(model.tokens.notApplicable), item.id).toBe(item.allowNotApplicable)
    }
  })

  it('scores anchored rubrics 0, .25, .5, .75, 1', () => {
    for (const item of model.items) {
      if (item.rule.type !== 'choice' || !('level_0' in item.rule.scores)) continue
      expect(Object.values(item.rule.scores), item.id).toEqual([0, 0.25, 0.5, 0.75, 1])
    }
  })

  it('gives number and percentage items ranges, units and a working status question', () => {
    for (const item of model.items) {
      const rule = item.rule
      if (rule.type !== 'number' && rule.type !== 'percentage') continue
      const q = byName.get(item.id)
      expect(typeof q?.min, item.id).toBe('number')
      expect(typeof q?.max, item.id).toBe('number')
      if (rule.type === 'percentage') expect([q?.min, q?.max], item.id).toEqual([0, 100])
      if (rule.type === 'number' && rule.per) {
        expect(byName.get(rule.per.question)?.inputType, item.id).toBe('number')
        expect(unscoredReason(rule.per.question), item.id).toBe('profile')
      }
      if (item.statusQuestion) {
        const status = byName.get(item.statusQuestion)
        expect(status?.type, item.id).toBe('radiogroup')
        expect(offeredValues(status ?? { type: '', name: '' }), item.id).toEqual(
          [
            item.allowDontKnow ? model.tokens.dontKnow : null,
            item.allowNotApplicable ? model.tokens.notApplicable : null,
          ].filter((v): v is string => v !== null),
        )
        expect(status?.visibleIf, item.id).toBe(q?.visibleIf)
      } else {
        expect(item.allowDontKnow || item.allowNotApplicable, item.id).toBe(false)
      }
    }
  })

  it('requires every scored question (or, for numbers with a status, unless "don\'t know")', () => {
    for (const item of model.items) {
      const q = byName.get(item.id)
      if (item.statusQuestion) {
        expect(q?.isRequired, item.id).toBeUndefined()
        expect(q?.requiredIf, item.id).toBe(
          `{${item.statusQuestion}} <> '${model.tokens.dontKnow}'`,
        )
      } else {
        expect(q?.isRequired, item.id).toBe(true)
      }
    }
  })

  it('mirrors every visibleIf of a scored item in applicableIf, and back', () => {
    for (const item of model.items) {
      const q = byName.get(item.id)
      const condition = q?.visibleIf ? parseCondition(q.visibleIf) : undefined
      expect(condition, item.id).not.toBeNull()
      expect(condition, item.id).toEqual(item.applicableIf)
    }
  })

  it('writes every visibleIf in canonical form, on earlier questions and offered values', () => {
    const seen = new Set<string>()
    for (const q of questions) {
      if (q.visibleIf) {
        const c = parseCondition(q.visibleIf)
        expect(c, q.name).not.toBeNull()
        if (!c) continue
        expect(seen.has(c.question), `${q.name} depends on a later question`).toBe(true)
        const target = byName.get(c.question)
        for (const v of c.in)
          expect(offeredValues(target ?? { type: '', name: '' }), q.name).toContain(v)
      }
      seen.add(q.name)
    }
  })

  it('follows every gate item with an evidence reference shown when the gate passes', () => {
    for (const gate of model.gates) {
      if (gate.condition.kind !== 'item') continue
      const { itemId, minScore } = gate.condition
      const index = questions.findIndex((q) => q.name === itemId)
      const evidence = questions[index + 1]
      expect(evidence?.name, gate.id).toBe(`${itemId}${EVIDENCE_SUFFIX}`)
      expect(evidence?.type, gate.id).toBe('comment')
      const shownFor = parseCondition(evidence?.visibleIf ?? '')?.in ?? []
      const rule = items.get(itemId)?.rule
      const passing =
        rule?.type === 'yesNo'
          ? ['yes']
          : rule?.type === 'choice'
            ? Object.entries(rule.scores)
                .filter(([, s]) => s >= minScore)
                .map(([v]) => v)
            : []
      expect(shownFor, gate.id).toEqual(passing)
    }
  })
})

describe('questionnaire v1 languages', () => {
  /** Localizable property names of a survey-core class, read from its Serializer. */
  const localizable = (className: string) =>
    new Set(
      Serializer.getPropertiesByObj({ getType: () => className })
        .filter((p) => p.isLocalizable)
        .map((p) => p.name),
    )

  function checkNode(
    node: Record<string, unknown>,
    className: string,
    path: string,
    found: string[],
  ) {
    const names = localizable(className)
    for (const [key, value] of Object.entries(node)) {
      if (names.has(key)) found.push(`${path}.${key}`)
      if (names.has(key) || (isRecord(value) && 'default' in value)) {
        expect(isRecord(value), `${path}.${key} must be { default, en }`).toBe(true)
        if (!isRecord(value)) continue
        expect(Object.keys(value).sort(), `${path}.${key}`).toEqual(['default', 'en'])
        const vi = value.default
        const en = value.en
        expect(typeof vi === 'string' && vi.trim().length > 0, `${path}.${key}.default`).toBe(true)
        expect(typeof en === 'string' && en.trim().length > 0, `${path}.${key}.en`).toBe(true)
        if (typeof vi !== 'string' || typeof en !== 'string') continue
        expect(vi, `${path}.${key}`).toBe(vi.normalize('NFC'))
        expect(vi, `${path}.${key}: Vietnamese in "default"`).toMatch(VIETNAMESE_LETTER)
        expect(en, `${path}.${key}: English in "en"`).not.toMatch(VIETNAMESE_LETTER)
      }
    }
    if (Array.isArray(node.pages)) {
      node.pages
        .filter(isRecord)
        .forEach((p, i) => checkNode(p, 'page', `${path}.pages[${i}]`, found))
    }
    if (Array.isArray(node.elements)) {
      node.elements
        .filter(isRecord)
        .forEach((el, i) =>
          checkNode(el, String(el.type), `${path}.${String(el.name ?? i)}`, found),
        )
    }
    if (Array.isArray(node.choices)) {
      node.choices.forEach((c, i) => {
        expect(isRecord(c), `${path}.choices[${i}] must be { value, text }`).toBe(true)
        if (isRecord(c)) {
          expect(c.text, `${path}.choices[${i}].text`).toBeDefined()
          checkNode(c, 'itemvalue', `${path}.choices[${i}]`, found)
        }
      })
    }
  }

  it('writes every localizable string as { default: Vietnamese, en: English }', () => {
    const found: string[] = []
    checkNode(questionnaireJson, 'survey', 'survey', found)
    expect(found.length).toBeGreaterThan(400)
    for (const key of ['survey.title', 'survey.description', 'survey.completedHtml']) {
      expect(found).toContain(key)
    }
  })

  it('gives every question a title and every required question a requiredErrorText', () => {
    for (const q of questions) {
      expect(q.title, q.name).toBeDefined()
      const raw = q as unknown as Record<string, unknown>
      if (q.isRequired || q.requiredIf) expect(raw.requiredErrorText, q.name).toBeDefined()
      if (q.inputType === 'number') {
        expect(raw.minErrorText, q.name).toBeDefined()
        expect(raw.maxErrorText, q.name).toBeDefined()
      }
      if (q.showNoneItem) expect(raw.noneText, q.name).toBeDefined()
    }
  })
})
