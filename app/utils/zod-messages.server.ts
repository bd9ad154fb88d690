/**
 * zod's issues in the reader's language, from `common:validation.*`: a schema
 * states its rules (`.int().min(0)`), and this one map words every
 * refusal, so no schema carries a message in one language, or in two glued
 * together. Pass it per parse: `Schema.safeParse(input, { error: zodMessages(locale) })`.
 * A rule zod cannot word (a refinement) adds a `custom` issue whose
 * `params` name a locale key and its values: `{ key: 'waves:params.weightsSum' }`.
 * Messages a schema sets itself still win, as zod gives them precedence.
 */
import type * as z from 'zod'
import { getI18n, type Locale } from '../i18n.ts'
import { formatNumber } from './number-format.ts'

export function zodMessages(locale: Locale): z.core.$ZodErrorMap {
  // Asked for only when there is something to word.
  const t = (key: string, values?: Record<string, unknown>) => getI18n(locale).t(key, values)
  const num = (value: unknown) =>
    typeof value === 'number' || typeof value === 'bigint'
      ? formatNumber(Number(value), locale, 0, 3)
      : String(value)
  return (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.expected === 'int') return t('common:validation.integer')
        if (issue.expected === 'number') return t('common:validation.number')
        if (issue.input === undefined) return t('common:validation.required')
        return t('common:validation.invalid')
      case 'too_small':
        if (issue.origin === 'string')
          return Number(issue.minimum) <= 1
            ? t('common:validation.required')
            : t('common:validation.minLength', { min: num(issue.minimum) })
        return t('common:validation.atLeast', { min: num(issue.minimum) })
      case 'too_big':
        if (issue.origin === 'string')
          return t('common:validation.maxLength', { max: num(issue.maximum) })
        return t('common:validation.atMost', { max: num(issue.maximum) })
      case 'invalid_value':
        return t('common:validation.oneOf', { values: issue.values.map(String).join(', ') })
      case 'custom': {
        const params = issue.params as
          { key?: unknown; values?: Record<string, unknown> } | undefined
        if (typeof params?.key === 'string') return t(params.key, params.values ?? {})
        return t('common:validation.invalid')
      }
      default:
        return t('common:validation.invalid')
    }
  }
}
