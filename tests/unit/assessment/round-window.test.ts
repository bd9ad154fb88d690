import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  refuseOutsideWindow,
  roundWriteWindow,
} from '../../../app/assessment/round-window.server.ts'
import { formatDate, vietnamDate } from '../../../app/utils/date-format.ts'
import { todayInVietnam } from '../../../app/utils/time.server.ts'

const round = { opens_on: '2025-10-01', closes_on: '2025-12-15' }

describe('roundWriteWindow', () => {
  it('is open from the opening day to the closing day, both included', () => {
    expect(roundWriteWindow(round, '2025-09-30')).toBe('not_yet_open')
    expect(roundWriteWindow(round, '2025-10-01')).toBe('open')
    expect(roundWriteWindow(round, '2025-12-15')).toBe('open')
    expect(roundWriteWindow(round, '2025-12-16')).toBe('closed')
  })

  it('refuses with the date in both languages', () => {
    expect(refuseOutsideWindow(round, '2025-11-01')).toBeNull()
    expect(refuseOutsideWindow(round, '2026-01-05')).toEqual({
      kind: 'round_not_open',
      window: 'closed',
      opensOn: '2025-10-01',
      closesOn: '2025-12-15',
      message: { vi: 'Đợt này đã đóng ngày 15/12/2025.', en: 'This round closed on 15/12/2025.' },
    })
    expect(refuseOutsideWindow(round, '2025-09-01')?.message).toEqual({
      vi: 'Đợt này mở từ ngày 01/10/2025.',
      en: 'This round opens on 01/10/2025.',
    })
  })
})

describe("Vietnam's date", () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('turns at 17:00 UTC (midnight in Hà Nội)', () => {
    expect(vietnamDate(new Date('2025-12-15T16:59:59Z'))).toBe('2025-12-15')
    expect(vietnamDate(new Date('2025-12-15T17:00:00Z'))).toBe('2025-12-16')
  })

  it('is what todayInVietnam reads from the clock', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2025-12-15T17:30:00Z'))
    expect(todayInVietnam()).toBe('2025-12-16')
    expect(roundWriteWindow(round, todayInVietnam())).toBe('closed')
  })

  it('formats calendar dates as they are and timestamps in Vietnam, dd/mm/yyyy', () => {
    expect(formatDate('2025-12-15')).toBe('15/12/2025')
    expect(formatDate('2026-11-30T18:00:00.000Z')).toBe('01/12/2026')
    expect(formatDate('2026-11-30T16:00:00.000Z')).toBe('30/11/2026')
  })
})
