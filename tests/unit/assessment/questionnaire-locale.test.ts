import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { questionnaireInLanguage } from '../../../app/assessment/questionnaire-locale.ts'

const questionnaire = JSON.parse(
  readFileSync('db/content/questionnaire-v1.json', 'utf8'),
) as Record<string, unknown>

describe('the questionnaire in the reader’s language', () => {
  it('keeps one language of every localised string and nothing else changes', () => {
    const en = questionnaireInLanguage(questionnaire, 'en')
    const vi = questionnaireInLanguage(questionnaire, 'vi')
    const pages = (q: Record<string, unknown>) =>
      q.pages as Array<{ title: unknown; elements: Array<{ name: string; title: unknown }> }>
    expect(pages(en)[0]?.title).toBe('Facility profile')
    expect(pages(vi)[0]?.title).toBe('Thông tin chung về cơ sở')
    const names = (q: Record<string, unknown>) =>
      pages(q).flatMap((p) => p.elements.map((e) => e.name))
    expect(names(en)).toEqual(names(questionnaire))
    expect(JSON.stringify(en)).not.toContain('"default"')
    // The text sent is much smaller than both languages together.
    expect(JSON.stringify(vi).length).toBeLessThan(JSON.stringify(questionnaire).length * 0.7)
  })

  it('is computed once per questionnaire and language', () => {
    expect(questionnaireInLanguage(questionnaire, 'en')).toBe(
      questionnaireInLanguage(questionnaire, 'en'),
    )
  })
})
