/**
 * axe-core over every page, in Chromium: no serious or critical violation in
 * Vietnamese or English, on a desktop (1280×800) and a tablet (768×1024).
 * The page list fails when a route file renders a page it does not name.
 */
import { readdirSync, readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, BrowserContext, Page as Tab } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client.ts'
import { buildWave } from '../../app/waves/planner.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import type { SessionUser } from '../../app/utils/session.server.ts'
import { saveScenarioSet } from '../../app/waves/roadmap-scenarios.server.ts'
import { saveRun } from '../../app/waves/runs.server.ts'
import { createUser } from '../../app/admin/users.server.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, readOne, signIn } from './browser.ts'

interface Page {
  route: string
  /** Resolved once the fixtures exist (ids from the database). */
  path: () => string
  login: string | null
}

let browser: Browser
const ids = {
  review: 0,
  facility: 0,
  bachMai: 0,
  compare: '',
  run: 0,
  scenario: 0,
  user: 0,
  link: '',
  preview: '',
  round: 0,
  costTable: 0,
}

/** Two budget scenarios over three years, as the roadmap tests ask for. */
const ROADMAP_QUERY =
  'periodKind=year&periods=3&start=2026-01-01&capacity=6&costBn=10&budgets=30,60'

/** A saved roadmap scenario set, so its page exists (the seed has none). */
async function aScenario(): Promise<number> {
  const existing = readOne<{ id: number } | undefined>('SELECT id FROM roadmap_scenarios LIMIT 1')
  if (existing) return existing.id
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const ministry = readOne<{ id: number }>("SELECT id FROM users WHERE login = 'boyte'")
    const user: SessionUser = {
      id: ministry.id,
      login: 'boyte',
      displayName: 'Bộ Y tế',
      role: 'ministry_reviewer',
      facilityId: null,
      provinceCode: null,
      sessionIdHash: '',
    }
    const saved = await saveScenarioSet(
      db,
      user,
      { intent: 'save', name: 'Kiểm tra trợ năng', params: ROADMAP_QUERY },
      { clientIp: '127.0.0.1', requestId: 'a11y' },
      'vi',
    )
    if (!saved.ok) throw new Error(saved.formError)
    return Number(saved.redirect.split('/').pop())
  } finally {
    await db.destroy()
  }
}

/** A saved wave run, so its page exists (the seed has none). */
async function aRun(): Promise<number> {
  const existing = readOne<{ id: number } | undefined>('SELECT id FROM ranking_runs LIMIT 1')
  if (existing) return existing.id
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const params = parseWaveParams(new URLSearchParams('capacity=60&provinceMin=1'), 'vi')
    if (!params.success) throw new Error('bad wave parameters')
    const built = await buildWave(db, { kind: 'all' }, params.data, '2026-11-25')
    if (!('plan' in built)) throw new Error('no round to plan')
    const ministry = readOne<{ id: number }>("SELECT id FROM users WHERE login = 'boyte'")
    return await saveRun(db, {
      name: 'Kiểm tra trợ năng',
      plan: built.plan,
      scoringModelId: built.plan.model.rowId,
      userId: ministry.id,
      now: '2026-11-25T00:00:00.000Z',
    })
  } finally {
    await db.destroy()
  }
}

/**
 * The accounts the sign-in steps need: one invited (its link page), one
 * ministry reviewer with a password and no second factor yet (enrolment).
 */
async function signInStepAccounts(): Promise<string> {
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const meta = { clientIp: '127.0.0.1', requestId: 'a11y' }
    const fields = {
      role: 'ministry_reviewer' as const,
      facilityCode: null,
      provinceCode: null,
      email: null,
      phone: null,
    }
    const invited = await createUser(
      db,
      null,
      { ...fields, login: 'a11y.moi', displayName: 'Nguyễn Thị Hường' },
      { origin: BASE_URL, meta, email: false },
    )
    if (invited.kind !== 'created' || !invited.handout) throw new Error('no invitation link')
    const boyte = readOne<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE login = 'boyte'",
    )
    await createUser(
      db,
      null,
      { ...fields, login: 'a11y.enrol', displayName: 'Trần Đức Mạnh' },
      { origin: BASE_URL, meta, email: false, passwordHash: boyte.password_hash },
    )
    return new URL(invited.handout.link.url).pathname
  } finally {
    await db.destroy()
  }
}

beforeAll(async () => {
  browser = await launchBrowser()
  const review = readOne<{ id: number }>(
    `SELECT a.id FROM assessments a WHERE a.status = 'submitted'
     AND a.round_id = (SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1) ORDER BY a.id LIMIT 1`,
  )
  const facility = readOne<{ id: number }>("SELECT id FROM facilities WHERE code = '38001'")
  const bachMai = readOne<{ id: number }>("SELECT id FROM facilities WHERE code = '01001'")
  const compare = readOne<{ ids: string }>(
    "SELECT group_concat(id) AS ids FROM (SELECT id FROM facilities WHERE code IN ('38001', '01001', '04004'))",
  )
  const user = readOne<{ id: number }>("SELECT id FROM users WHERE login = 'soyte.thanhhoa'")
  // The current round against model 1.0.0 (the same questionnaire): a preview with numbers.
  const previewRound = readOne<{ id: number }>("SELECT id FROM rounds WHERE name = 'Đợt 2026'")
  const previewModel = readOne<{ id: number }>(
    "SELECT id FROM scoring_models WHERE version = '1.0.0'",
  )
  const round = readOne<{ id: number }>('SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1')
  const costTable = readOne<{ id: number }>(
    'SELECT id FROM remedial_cost_tables ORDER BY id LIMIT 1',
  )
  Object.assign(ids, {
    costTable: costTable.id,
    round: round.id,
    user: user.id,
    link: await signInStepAccounts(),
    review: review.id,
    facility: facility.id,
    bachMai: bachMai.id,
    compare: compare.ids,
    run: await aRun(),
    scenario: await aScenario(),
    preview: `round=${previewRound.id}&model=${previewModel.id}`,
  })
})
afterAll(async () => {
  await browser.close()
})

const pages: Page[] = [
  { route: '$', path: () => '/khong-co-trang-nay', login: 'boyte' },
  { route: '_index', path: () => '/', login: 'boyte' },
  { route: '_index', path: () => '/', login: 'giamdoc.caobang' },
  { route: 'assessment._index', path: () => '/assessment', login: 'giamdoc.caobang' },
  { route: 'assessment.print', path: () => '/assessment/print', login: 'giamdoc.bachmai' },
  { route: 'assessment.blank', path: () => '/assessment/blank', login: 'giamdoc.caobang' },
  { route: 'account._index', path: () => '/account', login: 'boyte' },
  { route: 'account.password', path: () => '/account/password', login: 'boyte' },
  { route: 'account.two-factor', path: () => '/account/two-factor', login: 'boyte' },
  { route: 'admin.users._index', path: () => '/admin/users', login: 'quantri' },
  { route: 'admin.users.$userId', path: () => `/admin/users/${ids.user}`, login: 'quantri' },
  {
    route: 'admin.users.$userId_.edit',
    path: () => `/admin/users/${ids.user}/edit`,
    login: 'quantri',
  },
  { route: 'admin.users.import', path: () => '/admin/users/import', login: 'quantri' },
  { route: 'admin.users.new', path: () => '/admin/users/new', login: 'quantri' },
  // `login:password`: a session that gave its password and waits at its next step.
  { route: 'login_.code', path: () => '/login/code', login: 'boyte:password' },
  { route: 'login_.enrol', path: () => '/login/enrol', login: 'a11y.enrol:password' },
  { route: 'set-password.$token', path: () => ids.link, login: null },
  { route: 'admin.facilities._index', path: () => '/admin/facilities', login: 'quantri' },
  { route: 'admin.facilities.import', path: () => '/admin/facilities/import', login: 'quantri' },
  { route: 'admin.models._index', path: () => '/admin/models', login: 'quantri' },
  { route: 'admin.cost-tables._index', path: () => '/admin/cost-tables', login: 'quantri' },
  {
    route: 'admin.cost-tables.$tableId',
    path: () => `/admin/cost-tables/${ids.costTable}`,
    login: 'quantri',
  },
  { route: 'admin.cost-tables.new', path: () => '/admin/cost-tables/new', login: 'quantri' },
  { route: 'admin.models.new', path: () => '/admin/models/new', login: 'quantri' },
  {
    route: 'admin.models.preview',
    path: () => `/admin/models/preview?${ids.preview}`,
    login: 'quantri',
  },
  { route: 'admin.rounds._index', path: () => '/admin/rounds', login: 'quantri' },
  { route: 'admin.tokens', path: () => '/admin/tokens', login: 'quantri' },
  { route: 'api.v1.docs', path: () => '/api/v1/docs', login: null },
  { route: 'admin.rounds.new', path: () => '/admin/rounds/new', login: 'quantri' },
  { route: 'admin.rounds.$roundId', path: () => `/admin/rounds/${ids.round}`, login: 'quantri' },
  {
    route: 'facilities.$facilityId_.extension',
    path: () => `/facilities/${ids.facility}/extension`,
    login: 'boyte',
  },
  { route: 'audit', path: () => '/audit', login: 'boyte' },
  { route: 'compare', path: () => `/compare?ids=${ids.compare}`, login: 'boyte' },
  { route: 'facilities.$facilityId', path: () => `/facilities/${ids.facility}`, login: 'boyte' },
  {
    route: 'facilities.$facilityId_.report',
    path: () => `/facilities/${ids.bachMai}/report`,
    login: 'giamdoc.bachmai',
  },
  { route: 'facilities._index', path: () => '/facilities', login: 'boyte' },
  { route: 'help', path: () => '/help', login: 'giamdoc.caobang' },
  { route: 'login', path: () => '/login', login: null },
  { route: 'methodology', path: () => '/methodology', login: null },
  { route: 'results._index', path: () => '/results', login: 'giamdoc.bachmai' },
  { route: 'review.$assessmentId', path: () => `/review/${ids.review}`, login: 'boyte' },
  { route: 'review._index', path: () => '/review', login: 'boyte' },
  { route: 'rounds.overview', path: () => '/rounds/overview', login: 'boyte' },
  { route: 'waves._index', path: () => '/waves?capacity=60&provinceMin=1', login: 'boyte' },
  // With a support budget spent first: its section and table of facilities lifted.
  { route: 'waves._index', path: () => '/waves?capacity=60&supportBn=2', login: 'boyte' },
  { route: 'waves.runs._index', path: () => '/waves/runs', login: 'boyte' },
  { route: 'rollout._index', path: () => '/rollout', login: 'boyte' },
  { route: 'rollout.waves', path: () => '/rollout/waves', login: 'boyte' },
  { route: 'rollout.facility', path: () => '/rollout/facility', login: 'giamdoc.thanhhoa' },
  { route: 'rollout.confirm', path: () => '/rollout/confirm', login: 'soyte.thanhhoa' },
  { route: 'waves.runs.$runId._index', path: () => `/waves/runs/${ids.run}`, login: 'boyte' },
  { route: 'waves.roadmap._index', path: () => `/waves/roadmap?${ROADMAP_QUERY}`, login: 'boyte' },
  {
    route: 'waves.roadmap.$scenarioId._index',
    path: () => `/waves/roadmap/${ids.scenario}`,
    login: 'boyte',
  },
  { route: 'waves.support', path: () => '/waves/support?supportBn=2.5', login: 'soyte.thanhhoa' },
  { route: 'waves.support', path: () => '/waves/support', login: 'boyte' },
]

/** Only the password: the session stops at the second-factor or enrolment page. */
async function passwordStep(tab: Tab, login: string): Promise<void> {
  await tab.goto(`${BASE_URL}/login`)
  await tab.getByLabel(/Tên đăng nhập|Login/).fill(login)
  await tab.getByLabel(/Mật khẩu|Password/).fill(DEMO_PASSWORD)
  await tab.getByRole('button', { name: /Đăng nhập|Sign in/ }).click()
  await tab.waitForURL((url) => url.pathname.startsWith('/login/'))
  await tab.close()
}

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'tablet', width: 768, height: 1024 },
] as const

describe('accessibility of every page', () => {
  it('lists every route file that renders a page', () => {
    const rendering = readdirSync('app/routes')
      .filter((f) => /^export default function/m.test(readFileSync(`app/routes/${f}`, 'utf8')))
      .map((f) => f.replace(/\.tsx?$/, ''))
    const covered = new Set(pages.map((p) => p.route))
    expect(rendering.filter((r) => !covered.has(r))).toEqual([])
  })
})

for (const language of ['vi', 'en'] as const) {
  for (const viewport of VIEWPORTS) {
    describe(`axe (${language}, ${viewport.name})`, () => {
      const contexts = new Map<string, BrowserContext>()
      afterAll(async () => {
        for (const context of contexts.values()) await context.close()
      })
      for (const page of pages) {
        it(`${page.route} as ${page.login ?? 'anonymous'}: no serious or critical violation`, async () => {
          const key = page.login ?? ''
          let context = contexts.get(key)
          if (!context) {
            context = await browser.newContext({
              viewport: { width: viewport.width, height: viewport.height },
            })
            await context.addCookies([
              {
                name: 'sansang_lang',
                value: language,
                domain: new URL(BASE_URL).hostname,
                path: '/',
              },
            ])
            const [login = '', step] = (page.login ?? '').split(':')
            if (step === 'password') await passwordStep(await context.newPage(), login)
            else if (login) await signIn(await context.newPage(), login)
            contexts.set(key, context)
          }
          const tab = await context.newPage()
          try {
            await tab.goto(`${BASE_URL}${page.path()}`)
            await tab.locator('main h1').first().waitFor()
            const result = await new AxeBuilder({ page: tab }).analyze()
            const bad = result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map(
                (v) =>
                  `${v.id} [${v.impact}] ${v.nodes
                    .slice(0, 3)
                    .map((n) => n.target.join(' '))
                    .join(' | ')}`,
              )
            expect(bad).toEqual([])
          } finally {
            await tab.close()
          }
        })
      }
    })
  }
}
