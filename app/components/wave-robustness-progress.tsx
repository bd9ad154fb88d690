/**
 * Progress of a robustness job: polls `/waves/jobs/:id` once a second and,
 * when the job is done, reloads the page data so the server renders the
 * probabilities into the lists. Without JavaScript the page shows the state
 * it was rendered with and a link to refresh. Render it with a `key` of the
 * job's id and status so a new server state starts a fresh poll.
 */
import { useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'

export interface JobView {
  id: string
  status: 'queued' | 'running' | 'done' | 'failed'
  done: number
  total: number
  error: string | null
}

export function WaveRobustnessProgress({
  job,
  refreshHref,
}: {
  job: JobView
  refreshHref: string
}) {
  const { t } = useTranslation('waves')
  const revalidator = useRevalidator()
  const [state, setState] = useState(job)
  const finished = state.status === 'done' || state.status === 'failed'

  useEffect(() => {
    if (finished) return
    let stopped = false
    const timer = setInterval(() => {
      fetch(`/waves/jobs/${job.id}`, { headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? (r.json() as Promise<Omit<JobView, 'id'>>) : null))
        .then((next) => {
          if (stopped || !next) return
          setState({ ...next, id: job.id })
          if (next.status === 'done') revalidator.revalidate()
        })
        .catch(() => {
          // A lost poll on a slow network is retried on the next tick.
        })
    }, 1000)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [finished, job.id, revalidator])

  return (
    <div className="card" aria-live="polite">
      <p role="status">
        {state.status === 'failed'
          ? t('robustness.failed', { error: state.error ?? '' })
          : state.status === 'done'
            ? t('robustness.done', { total: state.total })
            : t('robustness.progress', { done: state.done, total: state.total })}
      </p>
      {finished ? null : (
        <>
          <progress max={state.total} value={state.done} aria-label={t('robustness.title')} />
          <noscript>
            <a href={refreshHref}>{t('robustness.refresh')}</a>
          </noscript>
        </>
      )}
    </div>
  )
}
