/** Radar chart of domain scores (0–100) against a comparison series, with a table for screen readers. */
import {
  PolarAngleAxis,
  PolarGrid,
  PolarRadiusAxis,
  Radar,
  RadarChart,
  ResponsiveContainer,
  Legend,
} from 'recharts'

export interface DomainPoint {
  title: string
  value: number
  comparison: number | null
}

export function DomainChart(props: {
  points: DomainPoint[]
  valueLabel: string
  comparisonLabel: string
  label: string
}) {
  // A missing comparison (a peer group too small to show its median) is left
  // out, never drawn as 0.
  const compared = props.points.every((p) => p.comparison !== null)
  const data = props.points.map((p) => ({
    domain: p.title,
    value: Math.round(p.value * 10) / 10,
    comparison: p.comparison === null ? null : Math.round(p.comparison * 10) / 10,
  }))
  return (
    <figure className="chart" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={400}>
        <RadarChart data={data} outerRadius="65%">
          <PolarGrid />
          <PolarAngleAxis dataKey="domain" tick={{ fontSize: 12 }} />
          {/* The scale between the first two axes (90° and 30°), off the plotted line. */}
          <PolarRadiusAxis domain={[0, 100]} angle={60} axisLine={false} tick={{ fontSize: 10 }} />
          {compared ? (
            <Radar
              name={props.comparisonLabel}
              dataKey="comparison"
              stroke="#8a6d00"
              fill="#d9b64a"
              fillOpacity={0.25}
              isAnimationActive={false}
            />
          ) : null}
          <Radar
            name={props.valueLabel}
            dataKey="value"
            stroke="#0b6e4f"
            fill="#0b6e4f"
            fillOpacity={0.35}
            isAnimationActive={false}
          />
          <Legend />
        </RadarChart>
      </ResponsiveContainer>
    </figure>
  )
}
