/**
 * Rollout progress bench on a real SQLite file: 13,000 facilities, five
 * yearly waves of 2,000 members adopted 2022–2026, and five years of
 * milestones (each member's steps spread over its year, most reaching full
 * go-live, some still proposed): about 75,000 rows. Measures the national
 * progress page (`getProgressPage`: status counts, months, waves with
 * spending, every member's schedule and risks), cold and warm, one
 * province's page, one wave's page and the CSV export of every member.
 * Target: the national page under 300 ms. Wall time is the target; CPU time
 * is printed beside it because the machine is shared.
 * Run: npx tsx tests/bench/rollout-bench.ts
 */
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import i18next from 'i18next'
import { MILESTONE_KINDS } from '../../db/schema.ts'
import { openDatabase } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedContent } from '../../db/seed-content.ts'
import { seedProvinces } from '../../db/seed.ts'
import { progressCsv } from '../../app/rollout/export.server.ts'
import { getProgressPage, listMemberProgress } from '../../app/rollout/progress.server.ts'

const COUNT = 13_000
const WAVES = 5
const MEMBERS = 2_000
const NOW = '2026-12-01T00:00:00.000Z'
const TODAY = '2026-12-01'
const TIERS = ['central', 'provincial', 'basic'] as const
const path = join(tmpdir(), `sansang-rollout-bench-${process.pid}.sqlite`)
const rows: string[][] = []
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

async function measure<T>(label: string, target: number | null, fn: () => Promise<T>) {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = await fn()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  rows.push([
    label,
    `${ms.toFixed(0)} ms`,
    `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    target === null ? '' : ms < target ? `< ${target} ms ✓` : `< ${target} ms ✗`,
    mb(process.resourceUsage().maxRSS * 1024),
  ])
  return { value, ms }
}

/** The app loads its messages through Vite (import.meta.glob); the bench reads the same files. */
async function vietnamese() {
  const read = (ns: string) =>
    JSON.parse(
      readFileSync(new URL(`../../app/locales/vi/${ns}.json`, import.meta.url), 'utf8'),
    ) as Record<string, unknown>
  const instance = i18next.createInstance()
  await instance.init({
    lng: 'vi',
    defaultNS: 'common',
    ns: ['common', 'rollout'],
    resources: { vi: { common: read('common'), rollout: read('rollout') } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
  return instance.t
}

const day = (date: string, plus: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10)

async function buildDatabase() {
  const { db, sqlite } = openDatabase(path)
  await migrateToLatest(db)
  await seedProvinces(db)
  const content = await seedContent(db, NOW)
  const scoringModelId = content.scoringModelIds.get('1.1.0')
  if (scoringModelId === undefined) throw new Error('scoring model 1.1.0 is not shipped')
  const provinces = await db.selectFrom('provinces').select('code').orderBy('code').execute()
  const round = await db
    .insertInto('rounds')
    .values({
      name: 'Bench 2026',
      opens_on: '2026-01-01',
      closes_on: '2026-12-31',
      questionnaire_id: content.questionnaireId,
      scoring_model_id: scoringModelId,
      created_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const user = sqlite
    .prepare(
      `INSERT INTO users (login, display_name, role, search_key, created_at, updated_at, disabled)
       VALUES ('bench', 'Bench', 'ministry_reviewer', 'bench', ?, ?, 0)`,
    )
    .run(NOW, NOW)
  const userId = Number(user.lastInsertRowid)
  const insertFacility = sqlite.prepare(
    `INSERT INTO facilities (code, name, province_code, tier, ownership, beds, autonomy_group,
       emr_status, facility_class, search_key, created_at)
       VALUES (?, ?, ?, ?, 'public', 100, 1, ?, ?, ?, ?)`,
  )
  const insertRun = sqlite.prepare(
    `INSERT INTO ranking_runs (name, round_id, scoring_model_id, params_json, input_hash, seed,
       result_json, created_by, created_at) VALUES (?, ?, ?, '{}', ?, 1, '{}', ?, ?)`,
  )
  const insertWave = sqlite.prepare(
    `INSERT INTO waves (run_id, name, target_go_live, budget_vnd, adopted_by, adopted_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const insertMember = sqlite.prepare(
    `INSERT INTO wave_members (wave_id, facility_id, cost_vnd) VALUES (?, ?, 10000000000)`,
  )
  const insertMilestone = sqlite.prepare(
    `INSERT INTO milestones (facility_id, kind, occurred_on, note, status, proposed_by, proposed_at,
       reviewed_by, reviewed_at) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)`,
  )
  const setStatus = sqlite.prepare(`UPDATE facilities SET emr_status = ? WHERE id = ?`)
  let milestones = 0
  sqlite.transaction(() => {
    const ids: number[] = []
    for (let i = 0; i < COUNT; i++) {
      const tier = TIERS[i % 3] ?? 'basic'
      const facility = insertFacility.run(
        `R${String(i).padStart(5, '0')}`,
        `Bệnh viện thử ${i}`,
        provinces[i % provinces.length]?.code ?? '01',
        tier,
        'none',
        tier === 'basic' ? 'other' : 'hospital',
        `benh vien thu ${i}`,
        NOW,
      )
      ids.push(Number(facility.lastInsertRowid))
    }
    for (let w = 0; w < WAVES; w++) {
      const year = 2022 + w
      const adopted = `${year}-01-15`
      const run = insertRun.run(
        `Bench ${year}`,
        round.id,
        scoringModelId,
        '0'.repeat(64),
        userId,
        NOW,
      )
      const wave = insertWave.run(
        run.lastInsertRowid,
        `Đợt ${year}`,
        `${year}-12-31`,
        MEMBERS * 10_000_000_000,
        userId,
        `${adopted}T02:00:00.000Z`,
      )
      for (let m = 0; m < MEMBERS; m++) {
        const facilityId = ids[w * MEMBERS + m] ?? 0
        insertMember.run(wave.lastInsertRowid, facilityId)
        // Most members reach full go-live; some stop short; the last step of a few is still proposed.
        const steps = m % 10 < 7 ? MILESTONE_KINDS.length : 2 + (m % 5)
        let confirmedLive = false
        for (let s = 0; s < steps; s++) {
          const kind = MILESTONE_KINDS[s] ?? 'plan_approved'
          const on = day(adopted, 20 + s * 35 + (m % 17))
          if (on > TODAY) break
          const proposedOnly = s === steps - 1 && m % 13 === 0
          insertMilestone.run(
            facilityId,
            kind,
            on,
            proposedOnly ? 'proposed' : 'confirmed',
            userId,
            `${on}T03:00:00.000Z`,
            proposedOnly ? null : userId,
            proposedOnly ? null : `${on}T04:00:00.000Z`,
          )
          milestones++
          if (kind === 'full_live' && !proposedOnly) confirmedLive = true
        }
        setStatus.run(confirmedLive ? 'live' : 'in_progress', facilityId)
      }
    }
  })()
  sqlite.pragma('optimize')
  return { db, milestones }
}

rmSync(path, { force: true })
const { value: built } = await measure('build the database', null, buildDatabase)
const { db, milestones } = built
const t = await vietnamese()
const national = { kind: 'all' } as const
// PROFILE=1 also times each query and the members' schedules on their own.
if (process.env.PROFILE) {
  const { countFacilitiesByStatus, countConfirmedByMonth, listWaves, listWaveMembers } =
    await import('../../app/models/rollout.server.ts')
  for (const [label, fn] of [
    ['counts', () => countFacilitiesByStatus(db, national)],
    ['months', () => countConfirmedByMonth(db, national, 'full_live')],
    ['waves', () => listWaves(db, national)],
    ['members', () => listWaveMembers(db, national, null)],
    ['member progress', () => listMemberProgress(db, national, null, TODAY)],
  ] as const)
    await measure(label, null, fn as () => Promise<unknown>)
}
const { value: page } = await measure('national progress page, cold', 300, () =>
  getProgressPage(db, national, null, TODAY),
)
await measure('national progress page, warm', 300, () => getProgressPage(db, national, null, TODAY))
await measure('one province (01)', 300, () =>
  getProgressPage(db, { kind: 'province', provinceCode: '01' }, null, TODAY),
)
await measure('one wave (2026)', 300, () => getProgressPage(db, national, WAVES, TODAY))
const { value: csv } = await measure('CSV of every member', 1000, async () =>
  progressCsv(t, await listMemberProgress(db, national, null, TODAY)),
)
await db.destroy()
for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })

console.info(
  `${COUNT} facilities, ${WAVES * MEMBERS} wave members, ${milestones} milestones; ` +
    `${page.table.total.live} live, ${page.atRiskCount} at risk, ${page.months.length} months; ` +
    `CSV ${mb(Buffer.byteLength(csv))}`,
)
const header = ['step', 'wall', 'cpu', 'target', 'rss']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')
console.info(line(header))
for (const r of rows) console.info(line(r))
if (rows.some((r) => r[3]?.includes('✗'))) process.exitCode = 1
