/**
 * One term per concept in the Vietnamese interface: a gate is a "tiêu chí
 * điều kiện" everywhere. "Cổng" stays only where it names a real gateway
 * (the Internet gateway, the insurance portal, an information portal).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const GATEWAYS = /cổng (Internet|thông tin|giám định|dữ liệu|DICOM)/giu

describe('Vietnamese terms', () => {
  it('calls a gate "tiêu chí điều kiện", never "cổng"', () => {
    const found: string[] = []
    for (const file of readdirSync('app/locales/vi')) {
      const text = readFileSync(`app/locales/vi/${file}`, 'utf8').replace(GATEWAYS, '')
      for (const m of text.matchAll(/.{0,30}\bcổng\b.{0,30}/giu)) found.push(`${file}: ${m[0]}`)
    }
    expect(found).toEqual([])
  })
})

describe('no doubled words', () => {
  // Round names are Vietnamese and start with "Đợt" ("Đợt 2026").
  it('names a round by its name alone ("Đợt 2026", never "Đợt: Đợt 2026")', () => {
    const found: string[] = []
    for (const file of readdirSync('app/locales/vi')) {
      const text = readFileSync(`app/locales/vi/${file}`, 'utf8')
      for (const m of text.matchAll(/"[^"]*đợt:? \{\{(name|round|roundName)\}\}[^"]*"/giu))
        found.push(`${file}: ${m[0]}`)
    }
    expect(found).toEqual([])
  })
})
