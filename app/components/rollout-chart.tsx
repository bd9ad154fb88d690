/**
 * Go-lives by month: pilots and full go-lives as bars, the running total of
 * full go-lives as a line. The page renders the same numbers as a table, so
 * the chart is for the eye only.
 */
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts'

export function RolloutChart(props: {
  label: string
  names: { pilot: string; live: string; cumulative: string }
  rows: Array<{ month: string; pilot: number; live: number; cumulative: number }>
}) {
  return (
    <figure className="chart" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart data={props.rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Legend verticalAlign="top" />
          {/* Okabe–Ito colours: distinct under the common colour-vision deficiencies. */}
          <Bar dataKey="pilot" name={props.names.pilot} fill="#E69F00" isAnimationActive={false} />
          <Bar dataKey="live" name={props.names.live} fill="#0072B2" isAnimationActive={false} />
          <Line
            dataKey="cumulative"
            name={props.names.cumulative}
            stroke="#009E73"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  )
}
