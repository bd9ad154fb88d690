/** Migration 0021 on a real seeded file: the shipped cost table, and what the database refuses. */
import { openTestDatabase } from '../support/test-db.ts'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { remedialCostsV1 } from '../../db/content/remedial-costs.ts'
import { contentChecksum } from '../../db/seed-content.ts'

const { db } = openTestDatabase()
afterAll(async () => {
  await db.destroy()
})

describe('remedial cost tables and roadmap scenarios', () => {
  it('stores the shipped cost table once, and refuses to change it or delete it once used', async () => {
    const table = await db
      .selectFrom('remedial_cost_tables')
      .select(['id', 'version', 'sha256', 'created_by'])
      .executeTakeFirstOrThrow()
    expect(table).toMatchObject({
      version: remedialCostsV1.version,
      sha256: contentChecksum(remedialCostsV1),
      created_by: null,
    })
    await expect(
      sql`UPDATE remedial_cost_tables SET json = '{}' WHERE id = ${table.id}`.execute(db),
    ).rejects.toThrow(/immutable/)

    const round = await db
      .selectFrom('rounds')
      .select(['id', 'scoring_model_id'])
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const user = await db.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow()
    const scenario = await db
      .insertInto('roadmap_scenarios')
      .values({
        name: '500 bn/year',
        round_id: round.id,
        scoring_model_id: round.scoring_model_id,
        cost_table_id: table.id,
        params_json: '{"periods":[]}',
        input_hash: 'a'.repeat(64),
        result_json: '{}',
        created_by: user.id,
        created_at: '2026-12-03T00:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await expect(
      sql`UPDATE roadmap_scenarios SET name = 'x' WHERE id = ${scenario.id}`.execute(db),
    ).rejects.toThrow(/immutable/)
    await expect(
      sql`DELETE FROM remedial_cost_tables WHERE id = ${table.id}`.execute(db),
    ).rejects.toThrow(/used by a saved scenario/)
    await expect(
      sql`INSERT INTO roadmap_scenarios (name, round_id, scoring_model_id, cost_table_id, params_json,
        input_hash, result_json, created_by, created_at)
        VALUES ('bad', ${round.id}, ${round.scoring_model_id}, ${table.id}, 'not json', '', '{}', ${user.id}, '')`.execute(
        db,
      ),
    ).rejects.toThrow(/CHECK|violates check constraint|invalid input syntax for type json/)
  })
})
