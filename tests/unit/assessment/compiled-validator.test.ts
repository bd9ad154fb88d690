/**
 * The compiler reads only what it understands: every questionnaire in
 * db/content compiles, and any element type, property or condition form it
 * does not know is refused when the questionnaire is compiled, naming where.
 * (Agreement with survey-core is compiled-validator-property.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import {
  compileQuestionnaire,
  getCompiledQuestionnaire,
  QuestionnaireCompileError,
  validateChangedAnswers,
} from '../../../app/assessment/compiled-validator.server.ts'
import { parseCondition } from '../../../app/assessment/compiled-validator-conditions.ts'
import { questionnaireV1 } from '../../../db/content/questionnaire.ts'

/** A one-page questionnaire with `gate` (yes/no), `staff` (0–50) and `extra`. */
function withExtra(extra: Record<string, unknown>) {
  return {
    pages: [
      {
        name: 'p1',
        elements: [
          { type: 'radiogroup', name: 'gate', choices: ['yes', 'no'] },
          { type: 'text', name: 'staff', inputType: 'number', min: 0, max: 50 },
          { type: 'comment', name: 'note' },
          { name: 'extra', ...extra },
        ],
      },
    ],
  }
}

const refused = (json: unknown) => () => compileQuestionnaire(json)

describe('compileQuestionnaire', () => {
  it('compiles every questionnaire in db/content', () => {
    const compiled = compileQuestionnaire(questionnaireV1)
    expect(compiled.questions.size).toBeGreaterThan(10)
  })

  it('compiles each questionnaire object once', () => {
    expect(getCompiledQuestionnaire(questionnaireV1)).toBe(
      getCompiledQuestionnaire(questionnaireV1),
    )
  })

  it.each([
    ["{staff} > '3'", '>'],
    ["{gate} contains 'y'", 'contains'],
    ["{gate} notcontains 'y'", 'notcontains'],
    ["{gate} = 'yes' xor {staff} notempty", 'xor'],
    ["age({gate}) = '3'", 'age'],
    ["{gate} = 'yes' and", 'ends too early'],
    ['{gate} = yes', 'quoted'],
    ["{gate} = ''", 'empty'],
    ["{gate} = 'undefined'", 'undefined'],
    ["{gate} = 'yes' {staff} notempty", 'unexpected'],
    ["{Gate} = 'yes'", 'cannot read'],
    ["!({gate} = 'yes')", 'cannot read'],
  ])('refuses the condition %s', (expression, why) => {
    expect(() => parseCondition(expression)).toThrow(why)
    expect(refused(withExtra({ type: 'text', visibleIf: expression }))).toThrow(
      QuestionnaireCompileError,
    )
  })

  it.each([
    [{ type: 'text', visibleIf: "{gate} = 'maybe'" }, 'does not offer'],
    [{ type: 'text', visibleIf: "{missing} = 'yes'" }, 'no question'],
    [{ type: 'text', visibleIf: "{staff} = '3'" }, 'cannot read'],
    [{ type: 'text', visibleIf: "{gate} allof ['yes']" }, 'cannot read'],
    [{ type: 'text', requiredIf: "{gate} = 'maybe'" }, 'does not offer'],
    [{ type: 'text', enableIf: "{staff} anyof ['3']" }, 'cannot read'],
    [{ type: 'matrix' }, 'element type'],
    [{ type: 'text', validators: [{ type: 'numeric', minValue: 3 }] }, '"validators"'],
    [{ type: 'text', visible: false }, '"visible"'],
    [{ type: 'text', inputType: 'date' }, 'inputType'],
    [{ type: 'text', maxLength: 0 }, 'maxLength'],
    [{ type: 'text', min: 3 }, 'not a number'],
    [{ type: 'text', inputType: 'number', min: 9, max: 3 }, 'min > max'],
    [{ type: 'checkbox', choices: ['a', 'a'] }, 'twice'],
    [{ type: 'checkbox', choices: ['none'], showNoneItem: true }, 'showNoneItem'],
    [{ type: 'radiogroup', choices: [{ value: 'a', isExclusive: true }] }, 'isExclusive'],
    [{ type: 'dropdown', choices: [] }, 'non-empty'],
    [{ type: 'checkbox', choices: ['a'], maxSelectedChoices: 1 }, 'maxSelectedChoices'],
  ])('refuses %j', (extra, why) => {
    expect(refused(withExtra(extra))).toThrow(QuestionnaireCompileError)
    expect(refused(withExtra(extra))).toThrow(why)
  })

  it('refuses an unknown property on a page, a panel or the survey', () => {
    expect(refused({ pages: [{ name: 'p', elements: [], navigationTitle: 'x' }] })).toThrow(
      '"navigationTitle"',
    )
    expect(
      refused({
        pages: [{ name: 'p', elements: [{ type: 'panel', name: 'x', state: 'collapsed' }] }],
      }),
    ).toThrow('"state"')
    expect(refused({ pages: [], calculatedValues: [] })).toThrow('"calculatedValues"')
  })

  it('refuses a name used twice', () => {
    expect(refused(withExtra({ type: 'text', name: 'gate' }))).toThrow('twice')
  })
})

describe('validateChangedAnswers', () => {
  const compiled = compileQuestionnaire(withExtra({ type: 'comment', visibleIf: "{gate} = 'yes'" }))

  it('checks the changed answers and the answered questions their conditions show', () => {
    expect(validateChangedAnswers(compiled, { gate: 'yes', extra: 'x' }, ['gate']).ok).toBe(true)
    // Changing gate hides extra, which still has an answer.
    expect(validateChangedAnswers(compiled, { gate: 'no', extra: 'x' }, ['gate'])).toMatchObject({
      ok: false,
      errors: [{ question: 'extra' }],
    })
  })

  it('applies the bounds as survey-core does', () => {
    const check = (staff: number) => validateChangedAnswers(compiled, { staff }, ['staff']).ok
    expect([-1, -0.5, 0, 50, 50.5, 51].map(check)).toEqual([false, false, true, true, false, false])
  })

  it('leaves answers the save does not touch to submit', () => {
    // staff is out of range, but this save changes only gate, which staff does not read.
    expect(validateChangedAnswers(compiled, { gate: 'no', staff: 99 }, ['gate']).ok).toBe(true)
    expect(validateChangedAnswers(compiled, { invented: 1 }, ['invented'])).toMatchObject({
      ok: false,
      errors: [{ question: 'invented' }],
    })
  })
})
