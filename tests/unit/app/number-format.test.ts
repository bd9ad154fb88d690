import { describe, expect, it } from 'vitest'
import { formatNumber, numberFormat } from '../../../app/utils/number-format.ts'

describe('formatNumber', () => {
  it('writes Vietnamese numbers with dots between thousands and a decimal comma', () => {
    expect(formatNumber(1300, 'vi')).toBe('1.300')
    expect(formatNumber(90.164, 'vi', 2)).toBe('90,16')
    expect(formatNumber(2677.71, 'vi', 2)).toBe('2.677,71')
    expect(formatNumber(56, 'vi', 1)).toBe('56,0')
  })

  it('writes English numbers the other way round', () => {
    expect(formatNumber(1300, 'en')).toBe('1,300')
    expect(formatNumber(90.164, 'en', 2)).toBe('90.16')
    expect(formatNumber(-3.25, 'en', 1)).toBe('-3.3')
  })

  it('gives billions up to three decimals and shares as percentages', () => {
    const vi = numberFormat('vi')
    expect(vi.bn(12_500_000_000)).toBe('12,5')
    expect(vi.bn(1_300_000_000_000)).toBe('1.300')
    expect(vi.pct(0.705, 1)).toBe('70,5%')
    expect(numberFormat('en').pct(0.25)).toBe('25%')
  })
})
