import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { parsePreviewParams, RescoreSchema } from '../admin/models/preview-params.server.ts'
import { buildModelPreview, type PreviewRow } from '../admin/models/preview.server.ts'
import { rescoreRound } from '../admin/models/rescore.server.ts'
import { countRoundScores, listScoringModelVersions } from '../models/model-version.server.ts'
import { listRounds } from '../models/round.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { nowIso } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** Facilities that change level listed on the page; the XLSX holds every facility. */
const CHANGED_SHOWN = 200

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'models:manage')
  const parsed = parsePreviewParams(new URL(request.url).searchParams)
  if (!parsed.success) throw data({ message: 'invalid' }, { status: 400 })
  const db = getDb()
  const [rounds, models] = await Promise.all([listRounds(db), listScoringModelVersions(db)])
  const choices = {
    rounds: rounds.map((r) => ({ id: r.id, name: r.name, modelId: r.scoring_model_id })),
    models: models.map((m) => ({ id: m.id, label: `${m.model_id} ${m.version}` })),
  }
  const { round, model } = parsed.data
  if (round === undefined || model === undefined) {
    return { ...choices, params: parsed.data, result: null, rescoredRows: 0 }
  }
  const result = await buildModelPreview(db, { roundId: round, modelId: model })
  if (result.kind === 'missing') throw notFound()
  if (result.kind === 'questionnaireMismatch') {
    return data({ ...choices, params: parsed.data, result, rescoredRows: 0 }, { status: 422 })
  }
  const p = result.preview
  const changed = p.rows.filter((r) => r.oldLevel !== r.newLevel)
  return {
    ...choices,
    params: parsed.data,
    rescoredRows: await countRoundScores(db, { roundId: round, scoringModelId: model }),
    result: {
      kind: 'ok' as const,
      preview: { ...p, rows: undefined },
      changed: changed.slice(0, CHANGED_SHOWN),
      changedTotal: changed.length,
    },
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'models:manage')
  const parsed = RescoreSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ kind: 'invalid' as const }, { status: 400 })
  const result = await rescoreRound(getDb(), {
    roundId: parsed.data.round,
    modelId: parsed.data.model,
    userId: user.id,
    ip: context.clientIp,
    requestId: context.requestId,
    now: nowIso(),
  })
  switch (result.kind) {
    case 'rescored':
      return data(result)
    case 'missing':
      return data(result, { status: 404 })
    case 'ownModel':
      return data(result, { status: 400 })
    case 'questionnaireMismatch':
      return data(result, { status: 422 })
    case 'alreadyRescored':
      return data(result, { status: 409 })
  }
}

function FacilityTable({ rows, testId }: { rows: readonly PreviewRow[]; testId: string }) {
  const { t } = useTranslation('models')
  const { num } = useNumberFormat()
  const signed = (value: number, digits = 0) =>
    value > 0 ? `+${num(value, digits)}` : num(value, digits)
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('preview.code')}</th>
            <th scope="col">{t('preview.name')}</th>
            <th scope="col">{t('preview.province')}</th>
            <th scope="col" className="num">
              {t('preview.oldComposite')}
            </th>
            <th scope="col">{t('preview.oldLevel')}</th>
            <th scope="col" className="num">
              {t('preview.newComposite')}
            </th>
            <th scope="col">{t('preview.newLevel')}</th>
            <th scope="col" className="num">
              {t('preview.oldRank')}
            </th>
            <th scope="col" className="num">
              {t('preview.newRank')}
            </th>
            <th scope="col" className="num">
              {t('preview.rankChange')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.facilityId}>
              <td>{r.code}</td>
              <td>
                <Link to={`/facilities/${r.facilityId}`}>{r.name}</Link>
              </td>
              <td>{r.provinceName}</td>
              <td className="num">{num(r.oldCompositeBp / 100, 2)}</td>
              <td>{r.oldLevel}</td>
              <td className="num">{num(r.newCompositeBp / 100, 2)}</td>
              <td>
                {r.newLevel}
                {r.levelChange !== 'same' ? ` (${t(`levelChange.${r.levelChange}`)})` : ''}
              </td>
              <td className="num">{num(r.oldRank)}</td>
              <td className="num">{num(r.newRank)}</td>
              <td className="num">{signed(r.rankChange)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function WaveList({ title, rows }: { title: string; rows: readonly PreviewRow[] }) {
  const { t } = useTranslation('models')
  return (
    <>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p>{t('preview.nobody')}</p>
      ) : (
        <FacilityTable rows={rows} testId="wave-list" />
      )}
    </>
  )
}

export const handle: RouteI18n = { i18n: ['models', 'waves'] }

export default function ModelPreviewPage() {
  const { rounds, models, params, result, rescoredRows } = useLoaderData<typeof loader>()
  const rescore = useActionData<typeof action>()
  const { t } = useTranslation('models')
  const { num } = useNumberFormat()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  return (
    <>
      <p>
        <Link to="/admin/models">{t('preview.back')}</Link>
      </p>
      <h1>{t('preview.title')}</h1>
      <p>{t('preview.intro')}</p>
      <Form method="get" className="card filters">
        <div className="grid">
          <div className="field">
            <label htmlFor="preview-round">{t('preview.round')}</label>
            <select id="preview-round" name="round" defaultValue={params.round ?? ''} required>
              <option value="" />
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="preview-model">{t('preview.model')}</label>
            <select id="preview-model" name="model" defaultValue={params.model ?? ''} required>
              <option value="" />
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" disabled={busy}>
          {t('preview.show')}
        </button>
      </Form>
      {result?.kind === 'questionnaireMismatch' ? (
        <p className="form-error" role="alert">
          {t('preview.questionnaireMismatch', { round: result.round, model: result.model })}
        </p>
      ) : null}
      {result?.kind === 'ok' ? (
        <Preview
          preview={result.preview}
          changed={result.changed}
          changedTotal={result.changedTotal}
          rescoredRows={rescoredRows}
          rescore={rescore}
          busy={busy}
          num={num}
        />
      ) : null}
    </>
  )
}

type LoadedPreview = Extract<
  NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['result']>,
  { kind: 'ok' }
>

function Preview({
  preview: p,
  changed,
  changedTotal,
  rescoredRows,
  rescore,
  busy,
  num,
}: {
  preview: LoadedPreview['preview']
  changed: LoadedPreview['changed']
  changedTotal: number
  rescoredRows: number
  rescore: ReturnType<typeof useActionData<typeof action>>
  busy: boolean
  num: (value: number, digits?: number) => string
}) {
  const { t } = useTranslation('models')
  const own = p.newModel.rowId === p.oldModel.rowId
  const query = `round=${p.round.id}&model=${p.newModel.rowId}`
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading">
        {t('preview.heading', {
          round: p.round.name,
          old: p.oldModel.version,
          new: p.newModel.version,
        })}
      </h2>
      <p className="muted">{t('preview.basis', { count: p.compared })}</p>
      <p>
        <a href={`/admin/models/preview.xlsx?${query}`} download>
          {t('preview.download')}
        </a>
      </p>
      <table data-testid="preview-summary">
        <caption>{t('preview.summary')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('preview.compared')}</th>
            <td className="num">{num(p.compared)}</td>
          </tr>
          <tr>
            <th scope="row">{t('preview.levelChanged')}</th>
            <td className="num" data-testid="level-changed">
              {num(p.levels.changed)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('preview.levelUp')}</th>
            <td className="num">{num(p.levels.up)}</td>
          </tr>
          <tr>
            <th scope="row">{t('preview.levelDown')}</th>
            <td className="num">{num(p.levels.down)}</td>
          </tr>
          <tr>
            <th scope="row">
              {t('preview.tau')}
              <br />
              <span className="muted">{t('preview.tauHelp')}</span>
            </th>
            <td className="num" data-testid="kendall-tau">
              {p.kendallTauB === null ? t('preview.tauNone') : num(p.kendallTauB, 3)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('preview.meanChange')}</th>
            <td className="num">{num(p.meanAbsCompositeChangeBp / 100, 2)}</td>
          </tr>
        </tbody>
      </table>
      <h3>{t('preview.transitions')}</h3>
      <table data-testid="level-transitions">
        <thead>
          <tr>
            <th scope="col">{t('preview.from')}</th>
            <th scope="col">{t('preview.to')}</th>
            <th scope="col" className="num">
              {t('preview.count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {p.levels.transitions.map((tr) => (
            <tr key={`${tr.from}-${tr.to}`}>
              <td>{tr.from}</td>
              <td>{tr.to}</td>
              <td className="num">{num(tr.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('preview.wave')}</h3>
      {p.wave.kind === 'compared' ? (
        <>
          <p>
            {t('preview.waveHelp', {
              capacity: num(p.wave.capacity),
              minLevel: p.wave.minLevel,
              old: num(p.wave.oldSize),
              new: num(p.wave.newSize),
            })}
          </p>
          <WaveList
            title={t('preview.entering', { count: p.wave.entering.length })}
            rows={p.wave.entering}
          />
          <WaveList
            title={t('preview.leaving', { count: p.wave.leaving.length })}
            rows={p.wave.leaving}
          />
        </>
      ) : p.wave.kind === 'noLevel' ? (
        <p>{t('preview.waveNoLevel', { version: p.wave.modelVersion, level: p.wave.minLevel })}</p>
      ) : (
        <p>{t('preview.waveInfeasible')}</p>
      )}
      <h3>{t('preview.movers')}</h3>
      <p className="muted">{t('preview.moversHelp', { count: p.movers.length })}</p>
      <FacilityTable rows={p.movers} testId="movers" />
      <h3>{t('preview.changedLevels', { count: changedTotal })}</h3>
      <FacilityTable rows={changed} testId="changed-levels" />
      {changedTotal > changed.length ? (
        <p className="muted">
          {t('preview.changedMore', { count: changedTotal - changed.length })}
        </p>
      ) : null}
      <h3>{t('preview.rescoreTitle')}</h3>
      {own ? (
        <p>{t('preview.ownModelNote')}</p>
      ) : (
        <>
          <p>{t('preview.rescoreHelp', { version: p.newModel.version })}</p>
          {rescore?.kind === 'rescored' ? (
            <p role="status" className="notice">
              {t('preview.rescored', {
                declared: num(rescore.declared),
                verified: num(rescore.verified),
                version: p.newModel.version,
              })}
            </p>
          ) : rescore?.kind === 'alreadyRescored' || rescoredRows > 0 ? (
            <p role="status">
              {t('preview.alreadyRescored', {
                rows: num(rescore?.kind === 'alreadyRescored' ? rescore.rows : rescoredRows),
              })}
            </p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="rescore" />
              <input type="hidden" name="round" value={p.round.id} />
              <input type="hidden" name="model" value={p.newModel.rowId} />
              <button type="submit" disabled={busy}>
                {t('preview.rescore', { version: p.newModel.version })}
              </button>
            </Form>
          )}
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'models:preview.title')
