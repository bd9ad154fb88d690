import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../app/waves/canonical-json.ts'
import { csvField, escapeFormula, toCsv } from '../../../app/utils/csv.ts'
import type { WavePlan } from '../../../app/waves/planner.server.ts'
import type { WaveRow } from '../../../app/waves/wave-rows.server.ts'
import { windowDecision } from '../../../app/utils/rate-limit.server.ts'
import { diffPlans, restrictPlan } from '../../../app/waves/runs.server.ts'
import { facilityJson } from '../../../app/waves/wave-inputs.server.ts'

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"z":1}]},"b":1}',
    )
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }))
    expect(canonicalJson('Thanh Hoá')).toBe('"Thanh Hoá"')
  })

  it('matches the hand-written facility JSON used for the input hash', () => {
    for (const f of [
      {
        autonomyGroup: null,
        basis: 'declared',
        beds: 0,
        code: '38-001"x',
        emrStatus: 'none',
        facilityClass: null,
        hasImaging: null,
        id: 1,
        ownership: 'private',
        province: '38',
        referralRole: null,
        tier: 'basic',
      },
      {
        autonomyGroup: 4,
        basis: 'verified',
        beds: 1200,
        code: 'Bạch Mai',
        emrStatus: 'live',
        facilityClass: 'hospital',
        hasImaging: true,
        id: 99999,
        ownership: 'public',
        province: '01',
        referralRole: 'national',
        tier: 'central',
      },
    ]) {
      expect(facilityJson(f)).toBe(canonicalJson(f))
    }
  })
})

describe('CSV cells', () => {
  it('escapes text that a spreadsheet would run as a formula, never numbers', () => {
    expect(escapeFormula('=1+1')).toBe("'=1+1")
    expect(escapeFormula('-2+3')).toBe("'-2+3")
    expect(escapeFormula('\tx')).toBe("'\tx")
    expect(escapeFormula('\rx')).toBe("'\rx")
    expect(escapeFormula('Bệnh viện')).toBe('Bệnh viện')
    expect(csvField(-2.5)).toBe('-2.5')
    expect(csvField('-2.5')).toBe("'-2.5")
    expect(csvField(Number.NaN)).toBe('')
    expect(csvField(null)).toBe('')
  })

  it('escapes the full set: full-width signs, the DDE pipe, a leading LF, spaces before a sign', () => {
    for (const text of [
      '＝1+1',
      '＋1',
      '－2',
      '＠SUM(A1)',
      '|cmd',
      '\nx',
      '  =1+1',
      '\u3000=1+1',
      ' \t-1',
      ' @x',
    ]) {
      expect(escapeFormula(text)).toBe(`'${text}`)
    }
    // Ordinary text, and signs that are not at the start, stay as they are.
    for (const text of ['Bệnh viện 1+1', 'a=b', '  Trung tâm', 'C|D', '']) {
      expect(escapeFormula(text)).toBe(text)
    }
    expect(csvField('\n=1')).toBe(`"'\n=1"`)
  })

  it('quotes per RFC 4180 and ends lines with CRLF after a BOM', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('line\nbreak')).toBe('"line\nbreak"')
    expect(csvField('@SUM(A1),x')).toBe(`"'@SUM(A1),x"`)
    expect(
      toCsv([
        ['a', 1],
        ['b', true],
      ]),
    ).toBe('\uFEFFa,1\r\nb,true\r\n')
  })
})

describe('windowDecision', () => {
  const limit = { max: 3, windowMs: 60_000 }
  it('allows events while the window holds fewer than max', () => {
    expect(windowDecision(0, null, 0, limit)).toEqual({ ok: true })
    expect(windowDecision(2, 0, 20_000, limit)).toEqual({ ok: true })
  })
  it('refuses a full window and waits until its oldest event leaves it', () => {
    expect(windowDecision(3, 0, 30_000, limit)).toEqual({ ok: false, retryAfterSeconds: 30 })
    // Never less than a second, even a millisecond before the oldest leaves.
    expect(windowDecision(3, 0, 59_999, limit)).toEqual({ ok: false, retryAfterSeconds: 1 })
  })
})

function row(id: number, province: string, rank: number | null, selected: boolean): WaveRow {
  return {
    facilityId: id,
    code: `F${id}`,
    name: `Facility ${id}`,
    province,
    provinceName: province,
    tier: 'basic',
    ownership: 'public',
    rank,
    tied: false,
    compositeBp: 5000,
    level: 'R2',
    priorityBp: rank === null ? null : 10000 - rank,
    gateSubscoreBp: null,
    needBp: null,
    priorityInputs: null,
    dataQuality: [],
    costVnd: 10_000_000_000,
    selected,
    tieAtCutoff: false,
    domains: {},
    exclusions: [],
    holdingBack: [],
    completeness: 1,
    selectionProbability: null,
    robustness: null,
  }
}

function plan(rows: WaveRow[], inputHash: string): WavePlan {
  return {
    round: { id: 1, name: 'R' },
    model: { rowId: 1, id: 'm', version: '1', domains: [] },
    params: {} as WavePlan['params'],
    objective: { kind: 'readiness' },
    priorityModel: null,
    result: {
      feasible: true,
      method: 'greedy',
      selected: rows.filter((r) => r.selected).map((r) => String(r.facilityId)),
      objective: 0,
      totalCost: 0,
      binding: [],
      cutoffPriorityBp: null,
      tiesAtCutoff: [],
      objectiveWithoutQuotas: 0,
      priceOfEquity: 0,
    },
    rows,
    budgetVnd: 0,
    inputHash,
    scope: { kind: 'all' },
    robustness: null,
  }
}

describe('runs', () => {
  const before = plan(
    [row(1, '38', 1, true), row(2, '04', 2, true), row(3, '38', 3, false), row(4, '04', 4, false)],
    'a',
  )
  const after = plan(
    [row(1, '38', 2, true), row(3, '38', 1, true), row(4, '04', 3, false), row(5, '04', 4, false)],
    'b',
  )

  it('lists who entered, who left, rank moves and data changes', () => {
    const d = diffPlans(before, after)
    expect(d.sameInputs).toBe(false)
    expect(d.entered.map((r) => r.facilityId)).toEqual([3])
    expect(d.left.map((r) => r.facilityId)).toEqual([2])
    expect(d.moved.map((m) => [m.row.facilityId, m.from, m.to])).toEqual([
      [3, 3, 1],
      [1, 1, 2],
      [4, 4, 3],
    ])
    expect(d.appeared.map((r) => r.facilityId)).toEqual([5])
    expect(d.disappeared.map((r) => r.facilityId)).toEqual([2])
  })

  it("restricts a province scope to its province's rows and selected ids", () => {
    const restricted = restrictPlan(before, { kind: 'province', provinceCode: '04' })
    expect(restricted.rows.map((r) => r.facilityId)).toEqual([2, 4])
    expect(restricted.result.feasible && restricted.result.selected).toEqual(['2'])
    expect(restrictPlan(before, { kind: 'all' })).toBe(before)
    expect(restrictPlan(before, { kind: 'facility', facilityId: 2 }).rows).toEqual([])
  })
})
