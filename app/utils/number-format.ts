/**
 * Numbers as the reader writes them. Vietnamese puts dots between thousands
 * and a comma before the decimals (1.300 tỷ; 90,16), English the other way
 * round (1,300; 90.16). A page that printed "1.300" beside "90.16" let a
 * Vietnamese reader take a score of ninety for nine thousand.
 *
 * Node and Chromium format with the same ICU data, so the server render and
 * the hydrated page agree.
 */
import { useTranslation } from 'react-i18next'

const formats = new Map<string, Intl.NumberFormat>()

/**
 * `value` with exactly `digits` decimals (or between `digits` and `maxDigits`),
 * grouped and punctuated for `language` ('en', anything else is Vietnamese).
 * @example formatNumber(1300, 'vi') // "1.300"
 * @example formatNumber(90.164, 'vi', 2) // "90,16"
 * @example formatNumber(90.164, 'en', 1) // "90.2"
 */
export function formatNumber(
  value: number,
  language: string,
  digits = 0,
  maxDigits = digits,
): string {
  const tag = language === 'en' ? 'en-GB' : 'vi-VN'
  const key = `${tag}|${digits}|${maxDigits}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(tag, {
      minimumFractionDigits: digits,
      maximumFractionDigits: maxDigits,
    })
    formats.set(key, format)
  }
  return format.format(value)
}

export interface NumberFormat {
  /** A number with `digits` decimals: `num(90.164, 2)` is "90,16" in Vietnamese. */
  num: (value: number, digits?: number) => string
  /** A share 0–1 as a percentage: `pct(0.705, 1)` is "70,5%". */
  pct: (share: number, digits?: number) => string
  /** VND as billions, up to three decimals: `bn(12_500_000_000)` is "12,5". */
  bn: (vnd: number) => string
}

export function numberFormat(language: string): NumberFormat {
  return {
    num: (value, digits = 0) => formatNumber(value, language, digits),
    pct: (share, digits = 0) => `${formatNumber(share * 100, language, digits)}%`,
    bn: (vnd) => formatNumber(vnd / 1_000_000_000, language, 0, 3),
  }
}

/** The reader's number format, from the page's language. */
export function useNumberFormat(): NumberFormat {
  const { i18n } = useTranslation()
  return numberFormat(i18n.language)
}
