/**
 * In-app notifications for the home page. Data comes from
 * `app/review/notifications.server.ts`; these components only render it.
 */
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export interface DirectorNotificationItem {
  assessmentId: number
  roundName: string
  returnedAt: string
  comments: Array<{ id: number; question: string | null; body: string; author: string }>
}

/** Returned assessments with the reviewers' comments, newest first. */
export function DirectorNotifications({
  items,
  questionTitles = {},
}: {
  items: DirectorNotificationItem[]
  /** Question name → title in the user's language, when the page has them. */
  questionTitles?: Record<string, string>
}) {
  const { t } = useTranslation('review')
  if (items.length === 0) return null
  return (
    <section className="card notice" aria-labelledby="director-notifications" role="status">
      <h2 id="director-notifications">{t('notifications.returnedTitle')}</h2>
      {items.map((a) => (
        <div key={a.assessmentId} data-testid="returned-assessment">
          <p>
            {t('notifications.returned', {
              round: a.roundName,
              date: a.returnedAt.slice(0, 10),
              count: a.comments.length,
            })}
          </p>
          <ul>
            {a.comments.map((c) => (
              <li key={c.id}>
                <strong>
                  {c.question === null
                    ? t('notifications.general')
                    : (questionTitles[c.question] ?? c.question)}
                </strong>
                : {c.body} <span className="muted">— {c.author}</span>
              </li>
            ))}
          </ul>
          <p>
            <Link className="button" to="/assessment">
              {t('notifications.edit')}
            </Link>
          </p>
        </div>
      ))}
    </section>
  )
}

export interface ReviewerNotificationData {
  since: string
  total: number
  latest: Array<{ assessmentId: number; code: string; name: string; submittedAt: string | null }>
}

/** New submissions in the reviewer's scope since their previous visit. */
export function ReviewerNotifications({ data }: { data: ReviewerNotificationData }) {
  const { t } = useTranslation('review')
  if (data.total === 0) return null
  return (
    <section className="card notice" aria-labelledby="reviewer-notifications" role="status">
      <h2 id="reviewer-notifications">
        {t('notifications.newSubmissions', { count: data.total, since: data.since.slice(0, 10) })}
      </h2>
      <ul>
        {data.latest.map((a) => (
          <li key={a.assessmentId}>
            <Link to={`/review/${a.assessmentId}`}>{a.name}</Link>{' '}
            <span className="muted">
              ({a.code}, {a.submittedAt?.slice(0, 10)})
            </span>
          </li>
        ))}
      </ul>
      {data.total > data.latest.length ? (
        <p>
          <Link to="/review">{t('notifications.all', { count: data.total })}</Link>
        </p>
      ) : null}
    </section>
  )
}
