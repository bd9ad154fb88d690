import { Model } from 'survey-core'
import { questionnaireV1 } from '../../../db/content/questionnaire.ts'

/**
 * The checks the server makes on a submission: nothing unknown, nothing that
 * survey-core would silently drop or repair, and `validate(true)` clean.
 */
export function surveyErrors(answers: Record<string, unknown>): string[] {
  const model = new Model(questionnaireV1)
  const problems: string[] = []
  for (const name of Object.keys(answers)) {
    if (!model.getQuestionByName(name)) problems.push(`${name}: unknown question`)
  }
  model.data = answers
  model.clearIncorrectValues(true)
  for (const [name, value] of Object.entries(answers)) {
    if (JSON.stringify(model.getValue(name)) !== JSON.stringify(value)) {
      problems.push(`${name}: survey-core changed ${JSON.stringify(value)}`)
    }
  }
  model.validate(true)
  for (const q of model.getAllQuestions(true)) {
    for (const e of q.errors) problems.push(`${q.name}: ${e.getText()}`)
  }
  return problems
}
