/**
 * Coverage over time: the share of the roadmap's facilities live by the end
 * of each period, one line per budget scenario. The page prints the same
 * numbers in its tables, so the chart is for the eye only.
 */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'

// Okabe–Ito colours: distinct under the common colour-vision deficiencies.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7']

export function RoadmapChart(props: {
  label: string
  series: string[]
  rows: Array<Record<string, string | number | null>>
  formatShare: (share: number) => string
  formatPeriod: (end: string) => string
}) {
  return (
    <figure className="chart" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={320}>
        <LineChart data={props.rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="period"
            tick={{ fontSize: 11 }}
            tickFormatter={(v: string) => props.formatPeriod(v)}
          />
          <YAxis
            domain={[0, 1]}
            tick={{ fontSize: 11 }}
            tickFormatter={(v: number) => props.formatShare(v)}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? props.formatShare(v) : String(v))}
            labelFormatter={(v) => props.formatPeriod(String(v))}
          />
          <Legend verticalAlign="top" />
          {props.series.map((name, i) => (
            <Line
              key={name}
              dataKey={`s${i}`}
              name={name}
              stroke={COLOURS[i % COLOURS.length]}
              strokeWidth={2}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  )
}
