/**
 * zod's refusals in the reader's language: the planner's parameters carry no
 * message of their own, and each refusal reads as one language, never two glued.
 */
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { parseWaveParams } from '../../../app/waves/wave-params.server.ts'
import { zodMessages } from '../../../app/utils/zod-messages.server.ts'

function messages(query: string, locale: 'vi' | 'en'): Record<string, string> {
  const parsed = parseWaveParams(new URLSearchParams(query), locale)
  if (parsed.success) throw new Error(`${query} was accepted`)
  // The first refusal of each field, as the planner's form shows it.
  const out: Record<string, string> = {}
  for (const i of parsed.error.issues) out[i.path.join('.')] ??= i.message
  return out
}

describe('zodMessages', () => {
  it('words the planner’s refusals in Vietnamese', () => {
    expect(
      messages(
        'capacity=abc&costBn=1.5&budgetBn=-1&provinceMax=5000&basis=both&minLevel=high',
        'vi',
      ),
    ).toEqual({
      capacity: 'Phải là một số.',
      costBn: 'Phải là số nguyên.',
      budgetBn: 'Không được nhỏ hơn 0.',
      provinceMax: 'Không được lớn hơn 1.000.',
      basis: 'Chỉ nhận một trong: declared, verified.',
      minLevel: 'Mức có dạng R0 … R9.',
    })
  })

  it('and in English, with English digit grouping', () => {
    expect(messages('provinceMax=5000&objective=weighted&wReadiness=0.9', 'en')).toEqual({
      provinceMax: 'Must be at most 1,000.',
      wReadiness: 'The three weights must sum to 1.',
    })
  })

  it('names the bad line of a per-facility cost list', () => {
    expect(messages('costs=79001%3D5%0Abad line', 'vi').costs).toBe(
      '"bad line" không có dạng "mã=tỷ đồng" (1–100).',
    )
    expect(messages('costs=' + 'x'.repeat(20_001), 'en').costs).toBe('At most 20,000 characters.')
  })

  it('leaves a message the schema sets itself', () => {
    const schema = z.string().min(3, { error: 'own message' })
    const parsed = schema.safeParse('a', { error: zodMessages('en') })
    expect(parsed.error?.issues[0]?.message).toBe('own message')
  })

  it('says a required text is blank', () => {
    const parsed = z
      .object({ name: z.string().trim().min(1) })
      .safeParse({ name: '  ' }, { error: zodMessages('vi') })
    expect(parsed.error?.issues[0]?.message).toBe('Không được để trống.')
  })
})
