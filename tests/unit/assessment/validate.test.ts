import { describe, expect, it } from 'vitest'
import { validateAnswers } from '../../../app/questionnaire/validate.server.ts'

const questionnaire = {
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
        {
          type: 'text',
          name: 'it_staff',
          inputType: 'number',
          min: 0,
          max: 500,
          isRequired: true,
          title: 'IT',
        },
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

describe('validateAnswers', () => {
  it('accepts valid answers, partial on save', () => {
    expect(
      validateAnswers(questionnaire, { has_his: 'yes', modules: ['reg', 'ipd'] }, 'save'),
    ).toEqual({
      ok: true,
      errors: [],
    })
  })

  it('rejects an unknown question, naming it', () => {
    const r = validateAnswers(questionnaire, { has_his: 'yes', invented: 1 }, 'save')
    expect(r.ok).toBe(false)
    expect(r.errors).toEqual([
      { question: 'invented', message: { vi: 'Câu hỏi không tồn tại.', en: 'Unknown question.' } },
    ])
  })

  it('rejects a choice not offered instead of dropping it', () => {
    const r = validateAnswers(questionnaire, { has_his: 'maybe' }, 'save')
    expect(r.errors.map((e) => e.question)).toEqual(['has_his'])
    const c = validateAnswers(questionnaire, { modules: ['reg', 'xray'] }, 'save')
    expect(c.errors.map((e) => e.question)).toEqual(['modules'])
  })

  it('rejects text in a number field and numbers out of range', () => {
    expect(validateAnswers(questionnaire, { it_staff: 'three' }, 'save').errors[0]?.question).toBe(
      'it_staff',
    )
    expect(validateAnswers(questionnaire, { it_staff: '3' }, 'save').ok).toBe(false)
    const range = validateAnswers(questionnaire, { it_staff: 900 }, 'save')
    expect(range.errors[0]?.question).toBe('it_staff')
    expect(range.errors[0]?.message.vi).toMatch(/500/)
  })

  it('requires required questions only on submit, in both languages', () => {
    const r = validateAnswers(questionnaire, { has_his: 'no' }, 'submit')
    expect(r.errors.map((e) => e.question)).toEqual(['it_staff'])
    expect(r.errors[0]?.message.vi).toMatch(/Vui lòng/)
    expect(r.errors[0]?.message.en).toMatch(/Response required/i)
    expect(validateAnswers(questionnaire, { has_his: 'no', it_staff: 2 }, 'submit').ok).toBe(true)
  })

  it('rejects non-string text and over-long text', () => {
    expect(validateAnswers(questionnaire, { note: { html: '<b>' } }, 'save').ok).toBe(false)
    expect(validateAnswers(questionnaire, { note: 'x'.repeat(5001) }, 'save').ok).toBe(false)
  })

  it('rejects "none of the above" ticked together with other options, naming it', () => {
    expect(validateAnswers(questionnaire, { modules: ['none'] }, 'save').ok).toBe(true)
    const r = validateAnswers(questionnaire, { modules: ['reg', 'none'] }, 'save')
    expect(r.errors).toEqual([
      {
        question: 'modules',
        message: {
          vi: 'Không thể chọn «Không có mục nào ở trên» cùng với lựa chọn khác.',
          en: '“None of the above” cannot be chosen together with other options.',
        },
      },
    ])
    expect(validateAnswers(questionnaire, { modules: ['none', 'ipd'] }, 'submit').ok).toBe(false)
  })

  it('rejects an answer to a question its conditions hide, judged on the answers given', () => {
    // pacs shows only when has_his is yes.
    expect(validateAnswers(questionnaire, { has_his: 'yes', pacs: 'a' }, 'save').ok).toBe(true)
    const hidden = validateAnswers(questionnaire, { has_his: 'no', pacs: 'a' }, 'save')
    expect(hidden.errors.map((e) => e.question)).toEqual(['pacs'])
    expect(hidden.errors[0]?.message.vi).toMatch(/ẩn/)
    expect(validateAnswers(questionnaire, { pacs: 'a' }, 'save').ok).toBe(false)
    expect(
      validateAnswers(questionnaire, { has_his: 'no', it_staff: 2, pacs: 'b' }, 'submit').errors,
    ).toHaveLength(1)
    // Cleared together with the answer that hides it: nothing hidden is left.
    expect(validateAnswers(questionnaire, { has_his: 'no' }, 'save').ok).toBe(true)
  })
})
