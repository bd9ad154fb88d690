/** The roadmap's own parameters (issue #21): its periods, their default start and the budget list. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  nextPeriodStart,
  parseBudgetList,
  parseRoadmapParams,
  periodsOf,
  scenarioBudgets,
} from '../../../app/waves/roadmap-params.server.ts'

/** Any day from 2020 to 2039, as YYYY-MM-DD. */
const dayArb = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2039, 11, 31) })
  .map((ms) => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10))

const kindArb = fc.constantFrom<'quarter' | 'year'>('quarter', 'year')

/** The day after an ISO day. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** The first day of `months` months before an ISO first-of-month. */
function monthsBefore(first: string, months: number): string {
  const [y = 0, m = 1] = first.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1 - months, 1)).toISOString().slice(0, 10)
}

describe('nextPeriodStart', () => {
  it('is the first day of the next quarter or year', () => {
    expect(nextPeriodStart('2026-12-03', 'quarter')).toBe('2027-01-01')
    expect(nextPeriodStart('2026-09-30', 'quarter')).toBe('2026-10-01')
    expect(nextPeriodStart('2026-10-01', 'quarter')).toBe('2027-01-01')
    expect(nextPeriodStart('2026-01-01', 'quarter')).toBe('2026-04-01')
    expect(nextPeriodStart('2026-03-31', 'quarter')).toBe('2026-04-01')
    expect(nextPeriodStart('2026-01-01', 'year')).toBe('2027-01-01')
    expect(nextPeriodStart('2026-12-31', 'year')).toBe('2027-01-01')
  })

  it('starts a period after today, and the period before it holds today', () => {
    fc.assert(
      fc.property(dayArb, kindArb, (today, kind) => {
        const start = nextPeriodStart(today, kind)
        const month = Number(start.slice(5, 7))
        expect(start.endsWith('-01')).toBe(true)
        expect(kind === 'year' ? month === 1 : [1, 4, 7, 10].includes(month)).toBe(true)
        expect(start > today).toBe(true)
        expect(monthsBefore(start, kind === 'year' ? 12 : 3) <= today).toBe(true)
      }),
    )
  })
})

describe('periodsOf', () => {
  it('gives each period its last day, numbered from 1', () => {
    expect(periodsOf({ periodKind: 'quarter', periods: 3, start: '2026-10-01' })).toEqual([
      { id: '1', end: '2026-12-31' },
      { id: '2', end: '2027-03-31' },
      { id: '3', end: '2027-06-30' },
    ])
    // A start within a year: twelve months from it, the day before the same date next year.
    expect(periodsOf({ periodKind: 'year', periods: 2, start: '2027-07-01' })).toEqual([
      { id: '1', end: '2028-06-30' },
      { id: '2', end: '2029-06-30' },
    ])
    expect(periodsOf({ periodKind: 'quarter', periods: 1, start: '2028-01-01' })).toEqual([
      { id: '1', end: '2028-03-31' },
    ])
  })

  it('tiles the time from the start without gaps or overlaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2020, max: 2039 }),
        fc.integer({ min: 1, max: 12 }),
        kindArb,
        fc.integer({ min: 1, max: 40 }),
        (year, month, kind, count) => {
          const start = `${year}-${String(month).padStart(2, '0')}-01`
          const periods = periodsOf({ periodKind: kind, periods: count, start })
          expect(periods.map((p) => p.id)).toEqual(
            Array.from({ length: count }, (_, k) => String(k + 1)),
          )
          let from = start
          for (const p of periods) {
            // Each period ends the day before the next one's first day, `step` months on.
            const next = dayAfter(p.end)
            expect(next.endsWith('-01')).toBe(true)
            expect(monthsBefore(next, kind === 'year' ? 12 : 3)).toBe(from)
            from = next
          }
        },
      ),
    )
  })
})

describe('parseBudgetList', () => {
  it('reads budgets split by commas, semicolons or spaces, and returns what it cannot read', () => {
    expect(parseBudgetList('500, 1000')).toEqual({ budgets: [500, 1000], bad: [] })
    expect(parseBudgetList(' 500;1000  1500 ')).toEqual({ budgets: [500, 1000, 1500], bad: [] })
    expect(parseBudgetList('')).toEqual({ budgets: [], bad: [] })
    expect(parseBudgetList('500, 1e3, -2, 12.5, 12345678')).toEqual({
      budgets: [500],
      bad: ['1e3', '-2', '12.5', '12345678'],
    })
  })

  it('gives back every whole number written, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9_999_999 }), { maxLength: 6 }),
        fc.constantFrom(',', ', ', ';', ' ', '\n'),
        (budgets, separator) => {
          expect(parseBudgetList(budgets.join(separator))).toEqual({ budgets, bad: [] })
        },
      ),
    )
  })
})

describe('parseRoadmapParams', () => {
  const parse = (query: string, today = '2026-12-04') =>
    parseRoadmapParams(new URLSearchParams(query), 'en', today)

  it('starts a blank start at the next period of the kind asked', () => {
    const quarter = parse('periodKind=quarter&start=', '2026-05-20')
    expect(quarter.success && quarter.data.start).toBe('2026-07-01')
    const year = parse('', '2026-05-20')
    expect(year.success && year.data.start).toBe('2027-01-01')
  })

  it('refuses a start that is not the first of a month, and a wrong number of scenarios', () => {
    for (const query of ['start=2026-02-30', 'start=2026-02-02', 'start=1/1/2027']) {
      const parsed = parse(query)
      expect(parsed.success).toBe(false)
      if (!parsed.success)
        expect(parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['start'])
    }
    for (const budgets of ['500', '1,2,3,4,5', '500,500', '500,abc']) {
      const parsed = parse(`budgets=${encodeURIComponent(budgets)}`)
      expect(parsed.success).toBe(false)
      if (!parsed.success) {
        expect(parsed.error.issues.every((i) => i.path.join('.') === 'budgets')).toBe(true)
        expect(parsed.error.issues[0]?.message).not.toBe('')
      }
    }
  })

  it('refuses cost lines that the equal-cost mode would ignore, and the per-facility mode without any', () => {
    const ignored = parse('costMode=equal&costs=BV01%3D12')
    expect(ignored.success).toBe(false)
    const none = parse('costMode=perFacility')
    expect(none.success).toBe(false)
    expect(parse('costMode=perFacility&costs=BV01%3D12').success).toBe(true)
  })

  it('runs one scenario on the planner budget when no list is given, else the list', () => {
    const one = parse('')
    const two = parse('budgets=500%2C1000')
    expect(one.success && scenarioBudgets(one.data, 1300)).toEqual([1300])
    expect(two.success && scenarioBudgets(two.data, 1300)).toEqual([500, 1000])
  })
})
