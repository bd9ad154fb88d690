/**
 * Go-live rate by readiness level as bars (0–100 %), each bar's label
 * carrying its sample size. The page renders the same numbers, with the
 * small-sample caveat, as a table, so the chart is for the eye only.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts'

export function PredictionChart(props: {
  label: string
  rateName: string
  rows: Array<{ group: string; rate: number | null; n: number; nLabel: string }>
}) {
  // An empty group has no rate: drawn as no bar, never as 0 %.
  const data = props.rows.map((r) => ({
    group: r.group,
    rate: r.rate === null ? null : Math.round(r.rate * 1000) / 10,
    nLabel: r.nLabel,
  }))
  return (
    <figure className="chart" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={{ top: 24, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="group" tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
          {/* Okabe–Ito blue, as the go-live bars of the rollout chart. */}
          <Bar dataKey="rate" name={props.rateName} fill="#0072B2" isAnimationActive={false}>
            <LabelList dataKey="nLabel" position="top" style={{ fontSize: 11 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
