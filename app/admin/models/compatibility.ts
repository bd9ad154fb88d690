/**
 * Whether an uploaded questionnaire and scoring model can be used, and
 * together: the checks an administrator's upload passes before anything is
 * stored. Pure (no I/O): the questionnaire is judged by survey-core itself
 * and by the conventions of db/content/questionnaire.ts; the model by the
 * engine's own schema (`CheckedScoringModelSchema`, what `parseScoringModel`
 * runs); the pair by the rules the shipped content is held to.
 *
 * Every refusal is one `Problem` naming the item (or question, or path),
 * what was expected and what was found, so the author knows what to fix
 * without reading code. The messages live in the `models` locale namespace
 * under `problems.<code>`.
 */
import * as z from 'zod'
import {
  listQuestions,
  offeredValues,
  parseCondition,
  type QuestionJson,
} from '../../../db/content/questionnaire.ts'
import { CheckedScoringModelSchema, type ScoringModel } from '../../../scoring/model-schema.ts'
import { loadSurvey } from '../../questionnaire/survey.server.ts'

export const PROBLEM_CODES = [
  // Either file.
  'jsonSyntax',
  'controlCharacter',
  // The questionnaire alone.
  'questionnaireNotObject',
  'questionnaireNoQuestions',
  'surveyJson',
  'duplicateQuestion',
  'visibleIfNotCanonical',
  // The model alone.
  'modelSchema',
  // The pair.
  'questionnaireVersion',
  'missingQuestion',
  'questionType',
  'choiceNotOffered',
  'choiceNotScored',
  'tokenNotOffered',
  'tokenNotAllowed',
  'statusQuestion',
  'applicableIf',
  'perQuestion',
  'percentageRange',
  'ruleQuestion',
] as const
export type ProblemCode = (typeof PROBLEM_CODES)[number]

/** One refusal: what is wrong where, what was expected, what was found. */
export interface Problem {
  code: ProblemCode
  /** The item, question or JSON path at fault. */
  item: string
  expected: string
  found: string
}

const list = (values: readonly unknown[]) =>
  values.length === 0 ? '—' : values.map((v) => String(v)).join(', ')

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The questionnaire on its own: an object survey-core loads without a JSON
 * error (unknown property, unknown question type …), with questions, unique
 * names, and every `visibleIf` in the canonical form the server evaluates.
 */
export function checkQuestionnaire(json: unknown): Problem[] {
  if (!isRecord(json)) {
    return [{ code: 'questionnaireNotObject', item: '$', expected: 'object', found: typeof json }]
  }
  const problems: Problem[] = []
  const survey = loadSurvey(json)
  for (const error of survey.jsonErrors ?? []) {
    const property = 'propertyName' in error ? String(error.propertyName) : ''
    const className = 'className' in error ? String(error.className) : ''
    problems.push({
      code: 'surveyJson',
      item: [className, property].filter(Boolean).join('.') || error.type,
      expected: error.type,
      found: error.message,
    })
  }
  const questions = listQuestions(json)
  if (questions.length === 0) {
    problems.push({ code: 'questionnaireNoQuestions', item: 'pages', expected: '≥ 1', found: '0' })
  }
  const seen = new Set<string>()
  for (const q of questions) {
    if (seen.has(q.name)) {
      problems.push({ code: 'duplicateQuestion', item: q.name, expected: '1', found: '2+' })
    }
    seen.add(q.name)
    if (typeof q.visibleIf === 'string' && parseCondition(q.visibleIf) === null) {
      problems.push({
        code: 'visibleIfNotCanonical',
        item: q.name,
        expected: "{q} = 'v' | {q} anyof ['a', 'b']",
        found: q.visibleIf,
      })
    }
  }
  return problems
}

/**
 * The model on its own, by the engine's schema: each zod issue becomes one
 * problem at its path (weights that do not sum to 1, unknown domains, …).
 */
export function checkModel(
  json: unknown,
): { ok: true; model: ScoringModel } | { ok: false; problems: Problem[] } {
  const parsed = CheckedScoringModelSchema.safeParse(json)
  if (parsed.success) return { ok: true, model: parsed.data }
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      code: 'modelSchema' as const,
      item: issue.path.length === 0 ? '$' : issue.path.map(String).join('.'),
      expected: issue.message,
      found: describeInput(json, issue.path),
    })),
  }
}

/** The value found at a path of the uploaded JSON, shortened for a message. */
function describeInput(json: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = json
  for (const key of path) {
    if (isRecord(value)) value = value[String(key)]
    else if (Array.isArray(value) && typeof key === 'number') value = value[key]
    else return '—'
  }
  if (value === undefined) return '—'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

/** The values an item's rule scores (null for number and percentage items). */
function scoredValues(item: ScoringModel['items'][number]): string[] | null {
  const rule = item.rule
  switch (rule.type) {
    case 'choice':
      return Object.keys(rule.scores)
    case 'yesNo':
      return ['yes', 'no']
    case 'checklist':
      return [...rule.options, ...(rule.noneValue ? [rule.noneValue] : [])]
    default:
      return null
  }
}

function expectedType(rule: ScoringModel['items'][number]['rule']): string {
  switch (rule.type) {
    case 'checklist':
      return 'checkbox'
    case 'choice':
    case 'yesNo':
      return 'radiogroup'
    default:
      return 'text (inputType number)'
  }
}

function typeMatches(q: QuestionJson, rule: ScoringModel['items'][number]['rule']): boolean {
  switch (rule.type) {
    case 'checklist':
      return q.type === 'checkbox'
    case 'choice':
    case 'yesNo':
      return q.type === 'radiogroup'
    default:
      return q.type === 'text' && q.inputType === 'number'
  }
}

/**
 * The model against the questionnaire it scores:
 * - it names this questionnaire's version;
 * - every item is a question of the right type (choice and yes/no: radiogroup;
 *   checklist: checkbox; number and percentage: a number text field, 0–100
 *   for a percentage);
 * - a choice question offers exactly the values the item scores, plus the
 *   "not applicable" and "don't know" tokens exactly when the item allows them;
 * - a number item's status question exists and offers exactly its tokens;
 * - `applicableIf` mirrors the question's `visibleIf` (a hidden question never
 *   costs points); a `per` denominator is a number question; every question an
 *   answer rule reads exists.
 */
export function checkPair(
  questionnaire: { version: string; json: unknown },
  model: ScoringModel,
): Problem[] {
  const problems: Problem[] = []
  if (model.questionnaireVersion !== questionnaire.version) {
    problems.push({
      code: 'questionnaireVersion',
      item: 'questionnaireVersion',
      expected: questionnaire.version,
      found: model.questionnaireVersion,
    })
  }
  const byName = new Map(listQuestions(questionnaire.json).map((q) => [q.name, q]))
  const tokens = [model.tokens.notApplicable, model.tokens.dontKnow]
  for (const item of model.items) {
    const q = byName.get(item.id)
    if (!q) {
      problems.push({
        code: 'missingQuestion',
        item: item.id,
        expected: expectedType(item.rule),
        found: '—',
      })
      continue
    }
    if (!typeMatches(q, item.rule)) {
      const found = q.inputType ? `${q.type} (inputType ${q.inputType})` : q.type
      problems.push({
        code: 'questionType',
        item: item.id,
        expected: expectedType(item.rule),
        found,
      })
      continue
    }
    const scored = scoredValues(item)
    if (scored) {
      const offered = offeredValues(q)
      const plain = offered.filter((v) => !tokens.includes(v))
      for (const value of scored) {
        if (!plain.includes(value)) {
          problems.push({
            code: 'choiceNotOffered',
            item: item.id,
            expected: value,
            found: list(plain),
          })
        }
      }
      for (const value of plain) {
        if (!scored.includes(value)) {
          problems.push({
            code: 'choiceNotScored',
            item: item.id,
            expected: list(scored),
            found: value,
          })
        }
      }
      checkTokens(problems, item.id, item, model, offered)
    } else {
      checkNumberItem(problems, item, model, q, byName)
    }
    if (!sameCondition(item.applicableIf, q.visibleIf)) {
      problems.push({
        code: 'applicableIf',
        item: item.id,
        expected: q.visibleIf ?? '—',
        found: item.applicableIf ? JSON.stringify(item.applicableIf) : '—',
      })
    }
  }
  const ruleQuestions = new Set<string>()
  for (const rule of model.answerRules ?? []) {
    ruleQuestions.add(rule.question)
    for (const p of rule.when.all) {
      if (p.kind === 'answer' || p.kind === 'mismatch') ruleQuestions.add(p.question)
      if (p.kind === 'compare') {
        for (const side of [p.left, p.right]) if ('answer' in side) ruleQuestions.add(side.answer)
      }
    }
  }
  for (const name of [...ruleQuestions].sort()) {
    if (!byName.has(name)) {
      problems.push({ code: 'ruleQuestion', item: name, expected: 'a question', found: '—' })
    }
  }
  return problems
}

/** The tokens a choice question (or a status question) offers must be exactly those the item allows. */
function checkTokens(
  problems: Problem[],
  where: string,
  item: ScoringModel['items'][number],
  model: ScoringModel,
  offered: readonly string[],
): void {
  const allowed: Array<[string, boolean]> = [
    [model.tokens.notApplicable, item.allowNotApplicable],
    [model.tokens.dontKnow, item.allowDontKnow],
  ]
  for (const [token, allows] of allowed) {
    const has = offered.includes(token)
    if (allows && !has) {
      problems.push({ code: 'tokenNotOffered', item: where, expected: token, found: list(offered) })
    }
    if (!allows && has) {
      problems.push({ code: 'tokenNotAllowed', item: where, expected: '—', found: token })
    }
  }
}

function checkNumberItem(
  problems: Problem[],
  item: ScoringModel['items'][number],
  model: ScoringModel,
  q: QuestionJson,
  byName: ReadonlyMap<string, QuestionJson>,
): void {
  const rule = item.rule
  if (rule.type === 'percentage' && (q.min !== 0 || q.max !== 100)) {
    problems.push({
      code: 'percentageRange',
      item: item.id,
      expected: '0–100',
      found: `${q.min ?? '—'}–${q.max ?? '—'}`,
    })
  }
  if (rule.type === 'number' && rule.per) {
    const per = byName.get(rule.per.question)
    if (!per || per.type !== 'text' || per.inputType !== 'number') {
      problems.push({
        code: 'perQuestion',
        item: item.id,
        expected: `${rule.per.question}: text (inputType number)`,
        found: per ? per.type : '—',
      })
    }
  }
  if (item.statusQuestion) {
    const status = byName.get(item.statusQuestion)
    if (!status || status.type !== 'radiogroup') {
      problems.push({
        code: 'statusQuestion',
        item: item.id,
        expected: `${item.statusQuestion}: radiogroup`,
        found: status ? status.type : '—',
      })
    } else {
      checkTokens(problems, item.statusQuestion, item, model, offeredValues(status))
    }
  }
}

const ConditionShape = z.object({ question: z.string(), in: z.array(z.unknown()) })

function sameCondition(applicableIf: unknown, visibleIf: string | undefined): boolean {
  const mirrored = visibleIf ? parseCondition(visibleIf) : null
  const own = ConditionShape.safeParse(applicableIf)
  if (!own.success) return mirrored === null
  if (!mirrored) return false
  return (
    own.data.question === mirrored.question &&
    own.data.in.length === mirrored.in.length &&
    own.data.in.every((v, i) => v === mirrored.in[i])
  )
}
