/**
 * Raw data for analysts, REDCap's way: a round's answers with one row per
 * assessment and one column per question (coded values, as stored), and a
 * codebook that says what each column is — question text in both languages,
 * answer type, choice codes → labels, domain, item weight, regulation, and
 * the questionnaire version. CSV follows the wave exports' rules
 * (app/utils/csv.ts: BOM, RFC 4180, formula escaping, numbers as numbers).
 * Column names are the stable ids, never translated, so scripts keep working.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { listAssessmentsForApi } from '../models/api-read.server.ts'
import { getQuestionnaire, getScoringModel } from '../models/content.server.ts'
import { getRound } from '../models/round.server.ts'
import { answerKind, loadSurvey, type AnswerKind } from '../questionnaire/survey.server.ts'
import { getQuestionTexts } from '../questionnaire/texts.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import type { Cell } from '../utils/csv.ts'

/** The codebook's columns, in file order. */
export const CODEBOOK_COLUMNS = [
  'question_id',
  'text_vi',
  'text_en',
  'type',
  'choices_vi',
  'choices_en',
  'domain',
  'item_weight',
  'regulation',
  'questionnaire_version',
] as const

/** The fixed columns before the questions in the answers file. */
export const ANSWER_COLUMNS = [
  'assessment_id',
  'facility_code',
  'facility_name',
  'province_code',
  'status',
  'version',
  'submitted_at',
  'verified_at',
] as const

/** Several codes of a multiple-choice answer in one cell (the codebook says so per question). */
export const MULTI_SEPARATOR = ';'

export interface CodebookEntry {
  questionId: string
  textVi: string
  textEn: string
  type: AnswerKind
  /** code → label, in the questionnaire's order; empty for open questions. */
  choices: Array<{ code: string; vi: string; en: string }>
  /** Null for a question the scoring model does not score (profile, comments). */
  domain: string | null
  itemWeight: number | null
  regulation: string | null
  questionnaireVersion: string
}

/** The round's codebook, or null when there is no such round. */
export async function getRoundCodebook(db: Kysely<Database>, roundId: number) {
  const round = await getRound(db, roundId)
  if (!round) return null
  const [questionnaire, model] = await Promise.all([
    getQuestionnaire(db, round.questionnaire_id),
    getScoringModel(db, round.scoring_model_id),
  ])
  const key = `q${round.questionnaire_id}`
  const vi = getQuestionTexts(questionnaire.json, key, 'vi')
  const en = getQuestionTexts(questionnaire.json, key, 'en')
  const items = new Map(model.items.map((i) => [i.id, i]))
  const entries: CodebookEntry[] = []
  for (const question of loadSurvey(questionnaire.json).getAllQuestions(false)) {
    const type = answerKind(question)
    if (type === 'none') continue
    const item = items.get(question.name)
    const textVi = vi.get(question.name)
    const textEn = en.get(question.name)
    entries.push({
      questionId: question.name,
      textVi: textVi?.title ?? question.name,
      textEn: textEn?.title ?? question.name,
      type,
      choices: Object.entries(textVi?.choices ?? {}).map(([code, label]) => ({
        code,
        vi: label,
        en: textEn?.choices[code] ?? label,
      })),
      domain: item?.domainId ?? null,
      itemWeight: item?.weight ?? null,
      regulation: item?.source ?? null,
      questionnaireVersion: questionnaire.version,
    })
  }
  return { round, entries }
}

const choiceList = (entry: CodebookEntry, language: 'vi' | 'en') =>
  entry.choices.map((c) => `${c.code} = ${c[language]}`).join(' | ')

/** The codebook as rows of cells, header first. */
export function codebookTable(entries: CodebookEntry[]): Cell[][] {
  return [
    [...CODEBOOK_COLUMNS],
    ...entries.map((e) => [
      e.questionId,
      e.textVi,
      e.textEn,
      e.type,
      choiceList(e, 'vi'),
      choiceList(e, 'en'),
      e.domain,
      e.itemWeight,
      e.regulation,
      e.questionnaireVersion,
    ]),
  ]
}

/** A stored answer as one cell: numbers stay numbers, several codes are joined. */
export function answerCell(value: unknown): Cell {
  if (value === undefined || value === null) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value
  if (Array.isArray(value)) return value.map(String).join(MULTI_SEPARATOR)
  return JSON.stringify(value)
}

/** Assessments per read; the export reads the whole round in scope, page by page. */
const PAGE = 1000

/** The round's answers in scope as rows of cells (header first), or null without the round. */
export async function getRoundAnswerTable(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
) {
  const codebook = await getRoundCodebook(db, roundId)
  if (!codebook) return null
  const questions = codebook.entries.map((e) => e.questionId)
  const rows: Cell[][] = [[...ANSWER_COLUMNS, ...questions]]
  for (let afterId = 0; ;) {
    const page = await listAssessmentsForApi(db, filter, { roundId, afterId, limit: PAGE })
    for (const a of page) {
      rows.push([
        a.id,
        a.facility_code,
        a.facility_name,
        a.province_code,
        a.status,
        a.version,
        a.submitted_at,
        a.verified_at,
        ...questions.map((q) => answerCell(a.answers[q])),
      ])
    }
    const last = page.at(-1)
    if (!last || page.length < PAGE) break
    afterId = last.id
  }
  return { ...codebook, rows }
}
