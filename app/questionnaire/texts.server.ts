/**
 * Question titles and choice labels in one language, read through
 * survey-core (so localisation follows SurveyJS rules exactly), cached per
 * questionnaire version and language.
 */
import { parseCondition } from '../../db/content/questionnaire.ts'
import type { Locale } from '../i18n.ts'
import { answerKind, loadSurvey, offeredItems } from './survey.server.ts'

export interface QuestionText {
  title: string
  page: string
  choices: Record<string, string>
}

const cache = new Map<string, Map<string, QuestionText>>()

export function getQuestionTexts(
  questionnaire: object,
  cacheKey: string,
  locale: Locale,
): Map<string, QuestionText> {
  const key = `${cacheKey}:${locale}`
  const cached = cache.get(key)
  if (cached) return cached
  const model = loadSurvey(questionnaire, locale)
  const texts = new Map<string, QuestionText>()
  for (const question of model.getAllQuestions(false)) {
    const choices: Record<string, string> = {}
    for (const c of offeredItems(question)) choices[String(c.value)] = c.text
    texts.set(question.name, { title: question.title, page: question.page?.name ?? '', choices })
  }
  cache.set(key, texts)
  return texts
}

/** An answer as a person reads it: choice labels instead of codes. */
export function describeAnswer(
  text: QuestionText | undefined,
  value: unknown,
  empty: string,
): string {
  if (value === undefined || value === null || value === '') return empty
  const label = (v: unknown) => text?.choices[String(v)] ?? String(v)
  return Array.isArray(value) ? value.map(label).join('; ') : label(value)
}

/** A condition as a reader follows it on paper: the question it depends on and the answers that open it. */
export interface PrintableCondition {
  /** The number of the question it depends on, as printed ("3"). */
  question: string
  answers: string[]
}

export interface PrintableQuestion {
  name: string
  /** SurveyJS's own number ("12."), so paper and screen agree. */
  number: string
  title: string
  description: string
  required: boolean
  /** How it is answered on paper: tick one, tick any, or write. */
  kind: 'one' | 'many' | 'write'
  choices: string[]
  /** The answer as a person reads it (choice labels); null when unanswered or for a blank form. */
  answer: string | null
  /** On a blank form: shown only when another answer opens it. */
  condition: PrintableCondition | null
}

export interface PrintablePage {
  name: string
  title: string
  questions: PrintableQuestion[]
}

/**
 * Every page and question of a questionnaire in one language, for a printed
 * copy. With answers, survey-core runs the conditions and writes each answer
 * with its own `displayValue` (choice labels, "Không có" for none), and only
 * the questions the director was shown are listed; without answers (a blank
 * form), every question is listed and each conditional one names the
 * answer that opens it.
 */
export function printableQuestionnaire(
  questionnaire: object,
  locale: Locale,
  answers: Record<string, unknown> | null,
): PrintablePage[] {
  const model = loadSurvey(questionnaire, locale)
  if (answers) model.data = answers
  const titles = new Map(model.getAllQuestions(false).map((q) => [q.name, q]))
  return model.pages.map((page) => ({
    name: page.name,
    title: page.title,
    questions: page.questions
      .filter((q) => (answers ? q.isVisible : true))
      .map((q): PrintableQuestion => {
        const kind = answerKind(q)
        const parsed = !answers && q.visibleIf ? parseCondition(q.visibleIf) : null
        const parent = parsed ? titles.get(parsed.question) : undefined
        const parentChoices = parent ? offeredItems(parent) : []
        const value: unknown = answers ? answers[q.name] : undefined
        return {
          name: q.name,
          number: q.no,
          title: q.title,
          description: q.description ?? '',
          required: q.isRequired,
          kind: kind === 'multi' ? 'many' : kind === 'single' ? 'one' : 'write',
          choices: offeredItems(q).map((c) => c.text),
          answer:
            value === undefined || value === null || value === ''
              ? null
              : String(q.displayValue as unknown),
          condition:
            parsed && parent
              ? {
                  question: parent.no.replace(/\.$/, ''),
                  answers: parsed.in.map(
                    (v) =>
                      parentChoices.find((c) => String(c.value) === String(v))?.text ?? String(v),
                  ),
                }
              : null,
        }
      }),
  }))
}
