/** What changed between a saved run and the same parameters on today's data. */
import { useTranslation } from 'react-i18next'
import type { WaveRow } from '../waves/wave-rows.server.ts'

export interface RunDiffView {
  sameInputs: boolean
  entered: WaveRow[]
  left: WaveRow[]
  moved: Array<{ row: WaveRow; from: number; to: number }>
  movedCount: number
  appeared: number
  disappeared: number
}

function Names({ rows }: { rows: WaveRow[] }) {
  const { t } = useTranslation('waves')
  if (rows.length === 0) return <p className="muted">{t('diff.nobody')}</p>
  return (
    <ul>
      {rows.map((r) => (
        <li key={r.facilityId}>
          {r.code} · {r.name} ({r.provinceName})
        </li>
      ))}
    </ul>
  )
}

export function WaveRunDiff({ diff }: { diff: RunDiffView }) {
  const { t } = useTranslation('waves')
  return (
    <section className="card" aria-labelledby="diff-title">
      <h2 id="diff-title">{t('diff.title')}</h2>
      <p role="status">{diff.sameInputs ? t('diff.sameInputs') : t('diff.changedInputs')}</p>
      <p>{t('diff.counts', { appeared: diff.appeared, disappeared: diff.disappeared })}</p>
      <h3>{t('diff.entered', { count: diff.entered.length })}</h3>
      <Names rows={diff.entered} />
      <h3>{t('diff.left', { count: diff.left.length })}</h3>
      <Names rows={diff.left} />
      <h3>{t('diff.moved', { count: diff.movedCount })}</h3>
      {diff.moved.length === 0 ? (
        <p className="muted">{t('diff.nobody')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('lists.code')}</th>
                <th scope="col">{t('lists.facility')}</th>
                <th scope="col" className="num">
                  {t('diff.from')}
                </th>
                <th scope="col" className="num">
                  {t('diff.to')}
                </th>
              </tr>
            </thead>
            <tbody>
              {diff.moved.map((m) => (
                <tr key={m.row.facilityId}>
                  <td>{m.row.code}</td>
                  <th scope="row">{m.row.name}</th>
                  <td className="num">{m.from}</td>
                  <td className="num">{m.to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
