/** A round's gate settings carried to another model version: only what that version lets a round switch. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { gateSettingsFor } from '../../../app/models/round-scoring.server.ts'
import { parseScoringModel } from '../../../scoring/model-schema.ts'

const model = parseScoringModel(
  JSON.parse(readFileSync('db/content/scoring-model-v1.1.json', 'utf8')) as unknown,
)

describe('gateSettingsFor', () => {
  it('keeps the switchable gates the version has and drops the others', () => {
    const switchable = model.gates.filter((g) => g.configurable).map((g) => g.id)
    const fixed = model.gates.find((g) => !g.configurable)?.id ?? 'missing'
    expect(switchable.length).toBeGreaterThan(0)
    const settings = Object.fromEntries([
      ...switchable.map((id) => [id, false] as const),
      [fixed, false] as const,
      ['G99', true] as const,
    ])
    expect(gateSettingsFor(model, settings)).toEqual(
      Object.fromEntries(switchable.map((id) => [id, false])),
    )
  })
  it('gives nothing to switch for a round that switches nothing', () => {
    expect(gateSettingsFor(model, {})).toEqual({})
  })
})
