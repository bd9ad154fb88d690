/** The review queue's filters from a query string, and the days they mean in Vietnam. */
import { describe, expect, it } from 'vitest'
import { parseQueueParams, queueQuery } from '../../../app/review/queue.server.ts'
import { vietnamDayStart } from '../../../app/utils/date-format.ts'

describe('parseQueueParams', () => {
  it('keeps the valid filters and names the ones it drops', () => {
    const { params, invalid } = parseQueueParams(
      new URLSearchParams(
        'q=Thanh+Hoá&province=38&tier=royal&from=2026-11-01&to=2026-13-01&page=2',
      ),
    )
    expect(params).toEqual({ q: 'Thanh Hoá', province: '38', from: '2026-11-01', page: 2 })
    expect(invalid).toEqual(['tier', 'to'])
  })

  it('ignores empty fields and drops an end before the start', () => {
    const { params, invalid } = parseQueueParams(
      new URLSearchParams('q=&province=&from=2026-11-20&to=2026-11-10'),
    )
    expect(params).toEqual({ page: 1, from: '2026-11-20' })
    expect(invalid).toEqual(['to'])
  })
})

describe('queueQuery', () => {
  it('turns days into Vietnam-time instants (the whole last day included) and folds the search', () => {
    expect(queueQuery(7, { page: 1, q: 'Đa Khoa', from: '2026-11-01', to: '2026-11-30' })).toEqual({
      roundId: 7,
      province: undefined,
      tier: undefined,
      submittedFrom: '2026-10-31T17:00:00.000Z',
      submittedTo: '2026-11-30T17:00:00.000Z',
      search: 'da khoa',
    })
  })

  it('rolls over months and years', () => {
    expect(vietnamDayStart('2026-12-31', 1)).toBe('2026-12-31T17:00:00.000Z')
    expect(vietnamDayStart('2026-01-01')).toBe('2025-12-31T17:00:00.000Z')
  })
})
