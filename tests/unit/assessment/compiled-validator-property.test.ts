/**
 * The compiled validator against its oracle, survey-core (`validateAnswers`
 * in save mode): on generated saves — answers already stored (valid by
 * construction, or none) plus changes that mix good values with every kind
 * of tampering the integration tests send — the compiled validator, which
 * checks only the changes and the questions their conditions touch, returns
 * exactly what survey-core returns for all the answers after the save: the
 * same acceptance, the same questions named, in the same order, with the same
 * messages.
 *
 * Three questionnaires: the national questionnaire v1, one that uses every
 * element type, property and condition form the compiler understands, and
 * validate.test.ts's small one (plain-string choices and titles). survey-core
 * takes 50–300 ms per call on this machine, so the case counts are sized to
 * keep the file near a minute; the seed is fixed.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compileQuestionnaire,
  validateChangedAnswers,
  type CompiledQuestion,
  type CompiledQuestionnaire,
} from '../../../app/assessment/compiled-validator.server.ts'
import { evaluateCondition } from '../../../app/assessment/compiled-validator-conditions.ts'
import { validateAnswers } from '../../../app/questionnaire/validate.server.ts'
import { questionnaireV1 } from '../../../db/content/questionnaire.ts'

const t = (vi: string, en: string) => ({ default: vi, en })

/** Every element type, property and condition form the compiler reads. */
const everyFormQuestionnaire = {
  title: t('Mọi dạng', 'Every form'),
  showQuestionNumbers: 'on',
  checkErrorsMode: 'onComplete',
  pages: [
    {
      name: 'p_first',
      title: t('Trang 1', 'Page 1'),
      elements: [
        {
          type: 'radiogroup',
          name: 'gate',
          title: t('Cổng', 'Gate'),
          isRequired: true,
          choices: [
            { value: 'yes', text: t('Có', 'Yes') },
            { value: 'no', text: t('Không', 'No') },
            { value: 'dontknow', text: t('Không biết', "Don't know") },
          ],
        },
        {
          type: 'dropdown',
          name: 'level',
          choices: ['level_0', 'level_1', 'level_2', 'level_3'],
          showNoneItem: true,
        },
        {
          type: 'radiogroup',
          name: 'size',
          choices: [{ value: 1 }, { value: 2, text: 'Hai' }, { value: 10 }],
          showRefuseItem: true,
        },
        {
          type: 'checkbox',
          name: 'modules',
          choices: [
            'reg',
            'opd',
            { value: 'ipd', text: t('Nội trú', 'Inpatient') },
            { value: 'paper_only', text: t('Chỉ giấy', 'Paper only'), isExclusive: true },
          ],
          showNoneItem: true,
          noneText: t('Không có mục nào ở trên', 'None of the above'),
          showDontKnowItem: true,
        },
        {
          type: 'tagbox',
          name: 'tags',
          choices: ['a', 'b', 'c'],
          showNoneItem: true,
        },
        { type: 'boolean', name: 'agreed', labelTrue: 'Đồng ý', labelFalse: 'Không' },
        {
          type: 'text',
          name: 'staff',
          inputType: 'number',
          min: 0,
          max: 50,
          isRequired: true,
        },
        {
          type: 'text',
          name: 'beds',
          inputType: 'number',
          min: 1,
          max: 2000,
          minErrorText: t('Không nhỏ hơn {0}.', 'Not below {0}.'),
          maxErrorText: { default: 'Quá lớn.' },
          requiredIf: "{beds__status} <> 'dontknow'",
        },
        {
          type: 'radiogroup',
          name: 'beds__status',
          showClearButton: true,
          choices: [{ value: 'dontknow', text: t('Không biết', "Don't know") }],
        },
        { type: 'text', name: 'vendor', maxLength: 12, placeholder: 'ABC' },
        { type: 'text', name: 'free_text', inputType: 'text' },
        { type: 'html', name: 'note_html', html: '<p>…</p>' },
      ],
    },
    {
      name: 'p_second',
      elements: [
        { type: 'comment', name: 'gate_evidence', visibleIf: "{gate} = 'yes'", maxLength: 30 },
        { type: 'comment', name: 'gate_reason', visibleIf: "{gate} <> 'yes'", rows: 2 },
        { type: 'text', name: 'level_high', visibleIf: "{level} anyof ['level_2', 'level_3']" },
        { type: 'text', name: 'level_low', visibleIf: "{level} noneof ['level_2', 'level_3']" },
        { type: 'text', name: 'has_ipd', visibleIf: "{modules} anyof ['ipd']" },
        { type: 'text', name: 'has_both', visibleIf: "{modules} allof ['reg', 'opd']" },
        { type: 'text', name: 'tagged', visibleIf: '{tags} notempty' },
        { type: 'text', name: 'untagged', visibleIf: '{tags} empty' },
        { type: 'text', name: 'size_two', visibleIf: "{size} == '2'" },
        { type: 'text', name: 'not_none', visibleIf: "{level} != 'none'" },
        {
          type: 'text',
          name: 'combined',
          visibleIf: "{gate} = 'yes' and ({level} = 'level_3' or {modules} anyof ['opd'])",
          enableIf: '{agreed} notempty',
        },
        {
          type: 'panel',
          name: 'panel_outer',
          visibleIf: "{gate} anyof ['yes', 'dontknow']",
          elements: [
            { type: 'text', name: 'in_panel', inputType: 'number', min: 0, max: 9 },
            {
              type: 'panel',
              name: 'panel_inner',
              visibleIf: '{vendor} notempty',
              elements: [
                {
                  type: 'checkbox',
                  name: 'deep',
                  choices: ['x', 'y'],
                  showNoneItem: true,
                  visibleIf: '{staff} notempty or {agreed} notempty',
                },
              ],
            },
          ],
        },
      ],
    },
    {
      name: 'p_third',
      visibleIf: "{gate} = 'no'",
      elements: [{ type: 'radiogroup', name: 'why_not', choices: ['money', 'staff'] }],
    },
  ],
}

/** validate.test.ts's questionnaire: plain-string choices and titles. */
const smallQuestionnaire = {
  pages: [
    {
      name: 'p1',
      elements: [
        {
          type: 'radiogroup',
          name: 'has_his',
          isRequired: true,
          title: { default: 'Có HIS?', en: 'HIS?' },
          choices: ['yes', 'no', 'dontknow'],
        },
        { type: 'text', name: 'it_staff', inputType: 'number', min: 0, max: 500, title: 'IT' },
        {
          type: 'checkbox',
          name: 'modules',
          choices: ['reg', 'opd', 'ipd'],
          showNoneItem: true,
          noneText: { default: 'Không có mục nào ở trên', en: 'None of the above' },
          title: 'M',
        },
        { type: 'comment', name: 'note', title: 'N' },
        {
          type: 'radiogroup',
          name: 'pacs',
          visibleIf: "{has_his} = 'yes'",
          choices: ['a', 'b'],
          title: 'P',
        },
      ],
    },
  ],
}

type Answers = Record<string, unknown>

const offeredOf = (q: CompiledQuestion): unknown[] =>
  q.shape.kind === 'single' || q.shape.kind === 'multi' ? [...q.shape.offered] : []

/** Values a browser could send for the question. */
function validValue(q: CompiledQuestion): fc.Arbitrary<unknown> {
  const offered = offeredOf(q)
  const exclusive = new Set(q.exclusive.map((e) => e.value))
  switch (q.shape.kind) {
    case 'number': {
      const min = q.min?.value ?? -1000
      const max = q.max?.value ?? 1000
      return fc.integer({ min, max })
    }
    case 'text':
      return fc.oneof(
        fc.string({ maxLength: Math.min(q.shape.maxLength, 20) }),
        fc.constant('x'.repeat(q.shape.maxLength)),
      )
    case 'single':
      return fc.constantFrom(...offered)
    case 'multi': {
      const plain = offered.filter((v) => !exclusive.has(v))
      return fc.oneof(
        fc.subarray(plain, { minLength: 1 }),
        fc.constantFrom(...[...exclusive].map((v) => [v])),
      )
    }
    case 'boolean':
      return fc.boolean()
    case 'none':
    case 'other':
      return fc.constant('')
  }
}

/**
 * A value for a change: valid, or with probability `tamper` what tampering
 * sends (the right type but out of range, too long, standing-alone options
 * ticked together, repeated or unoffered choices; or the wrong type).
 */
function changeValue(q: CompiledQuestion | undefined, tamper: number): fc.Arbitrary<unknown> {
  const junk = fc.oneof(
    fc.constant(null),
    fc.constant(''),
    fc.constant([]),
    fc.constant('   '),
    fc.constant('three'),
    fc.constant('3'),
    fc.constant(true),
    fc.constant({ html: '<b>' }),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ min: -10, max: 10, noNaN: true }),
    fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3 })), {
      maxLength: 3,
    }),
  )
  if (!q) return junk
  const offered = offeredOf(q)
  // The right type, wrong only by the questionnaire's rules (ranges, options
  // that stand alone), and wrong in type or choice.
  const subtle: Array<fc.Arbitrary<unknown>> = []
  const wrong: Array<fc.Arbitrary<unknown>> = []
  switch (q.shape.kind) {
    case 'number': {
      const min = q.min?.value ?? -1000
      const max = q.max?.value ?? 1000
      subtle.push(
        fc.integer({ min: min - 100, max: min - 1 }),
        fc.integer({ min: max + 1, max: max + 100 }),
        // Just outside, and at, the bounds.
        fc.constantFrom(min - 1, min - 0.5, min, max, max + 0.5, max + 1),
        fc.double({ min, max, noNaN: true }),
      )
      wrong.push(fc.integer({ min, max }).map(String))
      break
    }
    case 'text':
      subtle.push(fc.constant('y'.repeat(q.shape.maxLength + 1)))
      wrong.push(fc.integer({ min: 0, max: 3 }))
      break
    case 'single':
      wrong.push(
        fc
          .constantFrom(...offered)
          .map((v) => (typeof v === 'string' ? v.toUpperCase() : String(v))),
        fc.constantFrom(...offered).map((v) => [v]),
        fc.constant('maybe'),
      )
      break
    case 'multi': {
      const exclusive = q.exclusive.map((e) => e.value)
      const plain = offered.filter((v) => !exclusive.includes(v))
      if (exclusive.length > 0) {
        // An option that stands alone, ticked with others (before or after them).
        subtle.push(
          fc
            .tuple(
              fc.constantFrom(...exclusive),
              fc.subarray(plain, { minLength: 1 }),
              fc.boolean(),
            )
            .map(([alone, others, first]) => (first ? [alone, ...others] : [...others, alone])),
          fc.subarray(offered, { minLength: 2 }),
        )
      }
      wrong.push(
        fc.constantFrom(...offered).map((v) => [v, v]),
        fc.subarray(offered, { minLength: 1 }).map((vs) => [...vs, 'xray']),
        fc.constantFrom(...offered),
      )
      break
    }
    case 'boolean':
      wrong.push(fc.constantFrom('true', 1, 0, 'false'))
      break
    case 'none':
    case 'other':
      wrong.push(fc.constantFrom('x', 1, ['a']))
  }
  const bad = Math.round(tamper * 100)
  const weighted = (list: Array<fc.Arbitrary<unknown>>, weight: number) =>
    list.length > 0 && weight > 0 ? [{ arbitrary: fc.oneof(...list), weight }] : []
  return fc.oneof(
    { arbitrary: validValue(q), weight: 100 - bad },
    ...weighted(subtle, Math.round(bad * 0.5)),
    ...weighted(wrong, Math.round(bad * 0.3)),
    ...weighted([junk], Math.round(bad * 0.2)),
    { arbitrary: fc.constant(null), weight: 10 },
  )
}

/** Stored answers that pass: valid values, none left on a question its conditions hide. */
function storedAnswers(compiled: CompiledQuestionnaire): fc.Arbitrary<Answers> {
  const questions = [...compiled.questions.values()].filter((q) => q.shape.kind !== 'none')
  return fc
    .record(
      Object.fromEntries(
        questions.map((q) => [q.name, fc.option(validValue(q), { nil: undefined })]),
      ),
      { requiredKeys: [] },
    )
    .map((drawn) => {
      const answers: Answers = {}
      for (const [name, value] of Object.entries(drawn))
        if (value !== undefined) answers[name] = value
      // Drop hidden answers until none is left (a dropped answer may hide another).
      for (let changed = true; changed;) {
        changed = false
        for (const q of questions) {
          if (q.name in answers && !q.visibleIf.every((c) => evaluateCondition(c, answers))) {
            delete answers[q.name]
            changed = true
          }
        }
      }
      return answers
    })
}

/**
 * A save's changes to `before`: a few questions (mostly ones showing now,
 * often conditions' sources and readers), now and then an unknown one; all
 * valid, a little tampered or much.
 */
function changesFor(
  compiled: CompiledQuestionnaire,
  before: Answers,
  { most = 5, tampering = [0, 0.2, 0.6] } = {},
): fc.Arbitrary<Answers> {
  const all = [...compiled.questions.values()]
  const shown = all.filter((q) => q.visibleIf.every((c) => evaluateCondition(c, before)))
  const involved = all.filter((q) => compiled.readers.has(q.name) || q.visibleIf.length > 0)
  const pick = fc.oneof(
    { arbitrary: fc.constantFrom(...shown), weight: 30 },
    { arbitrary: fc.constantFrom(...involved), weight: 12 },
    { arbitrary: fc.constantFrom(...all), weight: 6 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
  return fc.constantFrom(...tampering).chain((tamper) =>
    fc
      .array(
        pick.chain((q) =>
          fc.tuple(fc.constant(q?.name ?? 'invented_question'), changeValue(q, tamper)),
        ),
        { minLength: 1, maxLength: most },
      )
      .map((pairs) => Object.fromEntries(pairs)),
  )
}

/** Stored answers (valid, or none) and a save's changes to them. */
function saves(compiled: CompiledQuestionnaire, options?: Parameters<typeof changesFor>[2]) {
  return fc
    .oneof(
      { arbitrary: storedAnswers(compiled), weight: 3 },
      { arbitrary: fc.constant<Answers>({}), weight: 1 },
    )
    .chain((before) => fc.tuple(fc.constant(before), changesFor(compiled, before, options)))
}

/** What saveAssessment does: null removes an answer. */
function applyChanges(before: Answers, changes: Answers): Answers {
  const after = { ...before }
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete after[name]
    else after[name] = value
  }
  return after
}

function agreeOnSaves(
  json: object,
  numRuns: number,
  seed: number,
  options?: Parameters<typeof changesFor>[2],
) {
  const compiled = compileQuestionnaire(json)
  fc.assert(
    fc.property(saves(compiled, options), ([before, changes]) => {
      const after = applyChanges(before, changes)
      const compiledResult = validateChangedAnswers(compiled, after, Object.keys(changes))
      expect(compiledResult).toEqual(validateAnswers(json, after, 'save'))
    }),
    { numRuns, seed },
  )
}

// survey-core is slow, and the machine may be busy: room to finish, not a speed check.
const LIMIT = 600_000

describe('the compiled validator agrees with survey-core', () => {
  it(
    'on the questionnaire using every form the compiler reads',
    () => {
      agreeOnSaves(everyFormQuestionnaire, 400, 17)
    },
    LIMIT,
  )

  it(
    'on single changes, mostly subtly wrong (ranges, options that stand alone)',
    () => {
      agreeOnSaves(everyFormQuestionnaire, 250, 1234, { most: 1, tampering: [0.7] })
    },
    LIMIT,
  )

  it(
    'on the national questionnaire v1',
    () => {
      agreeOnSaves(questionnaireV1, 120, 1717)
    },
    LIMIT,
  )

  it(
    "on validate.test.ts's questionnaire",
    () => {
      agreeOnSaves(smallQuestionnaire, 200, 171717)
    },
    LIMIT,
  )

  it(
    'on whole answer sets checked at once',
    () => {
      const compiled = compileQuestionnaire(everyFormQuestionnaire)
      fc.assert(
        fc.property(changesFor(compiled, {}), (answers) => {
          const present = applyChanges({}, answers)
          expect(validateChangedAnswers(compiled, present, Object.keys(present))).toEqual(
            validateAnswers(everyFormQuestionnaire, present, 'save'),
          )
        }),
        { numRuns: 100, seed: 7 },
      )
    },
    LIMIT,
  )
})
