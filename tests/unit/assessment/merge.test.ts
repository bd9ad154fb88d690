import { describe, expect, it } from 'vitest'
import { overlappingQuestions, type ChangeSince } from '../../../app/assessment/merge.server.ts'

const change = (question: string, value: unknown, version = 5): ChangeSince => ({
  question,
  value,
  by: 'KS. Trần Thị Mai',
  at: '2026-11-02T03:00:00.000Z',
  version,
})

describe('which questions of a stale save someone else changed', () => {
  it('merges disjoint changes: no overlap', () => {
    expect(overlappingQuestions({ lan_quality: 'good' }, [change('it_helpdesk', 'yes')])).toEqual(
      [],
    )
  })

  it('names a question both changed to different values', () => {
    expect(
      overlappingQuestions({ lan_quality: 'good', it_helpdesk: 'no' }, [
        change('it_helpdesk', 'yes'),
      ]),
    ).toEqual(['it_helpdesk'])
  })

  it('does not count a colleague who set the same value, or cleared it as this save does', () => {
    expect(overlappingQuestions({ it_helpdesk: 'yes' }, [change('it_helpdesk', 'yes')])).toEqual([])
    expect(
      overlappingQuestions({ his_vendor_name: null }, [change('his_vendor_name', null)]),
    ).toEqual([])
  })

  it('judges by each question’s last change since', () => {
    const since = [change('it_helpdesk', 'no', 5), change('it_helpdesk', 'yes', 6)]
    expect(overlappingQuestions({ it_helpdesk: 'yes' }, since)).toEqual([])
    expect(overlappingQuestions({ it_helpdesk: 'no' }, since)).toEqual(['it_helpdesk'])
  })
})
