/**
 * Where the form stands, page by page: the progress bar names each page and
 * shows its completion, and an incomplete submit lists what is missing, on
 * which page, each a link to its question. A page is done when its required
 * answers are there (visible questions only: a question another answer
 * hides is not required), not when it was visited.
 */
import { forwardRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Question, SurveyModel } from 'survey-core'

export interface PageProgress {
  index: number
  name: string
  title: string
  required: number
  answered: number
  missing: Array<{ name: string; title: string }>
}

/** Per visible page: required visible questions, how many are answered, which are not. */
export function pageProgress(model: SurveyModel): PageProgress[] {
  return model.visiblePages.map((page, index) => {
    const required = page.questions.filter((q: Question) => q.isVisible && q.isRequired)
    const missing = required.filter((q: Question) => q.isEmpty())
    return {
      index,
      name: page.name,
      title: page.title || page.name,
      required: required.length,
      answered: required.length - missing.length,
      missing: missing.map((q: Question) => ({ name: q.name, title: q.title || q.name })),
    }
  })
}

/** The progress bar: each page by name with its completion; a click opens the page. */
export function FormProgress({
  pages,
  current,
  onOpen,
}: {
  pages: PageProgress[]
  current: number
  onOpen: (index: number) => void
}) {
  const { t } = useTranslation('assessment')
  const done = pages.filter((p) => p.answered === p.required).length
  return (
    <nav className="form-progress" aria-label={t('progress.label')}>
      <p className="form-progress-summary">
        {t('progress.summary', { done, count: pages.length })}
      </p>
      <ol>
        {pages.map((p) => {
          const complete = p.answered === p.required
          return (
            <li key={p.name} className={complete ? 'page-done' : undefined}>
              <button
                type="button"
                className="link"
                aria-current={p.index === current ? 'step' : undefined}
                onClick={() => onOpen(p.index)}
              >
                <span className="page-title">
                  {p.index + 1}. {p.title}
                </span>{' '}
                <span className="page-count">
                  {complete
                    ? t('progress.pageDone')
                    : t('progress.pageCount', { answered: p.answered, required: p.required })}
                </span>
              </button>
              <span
                className="page-bar"
                aria-hidden="true"
                style={{ ['--share' as string]: p.required === 0 ? 1 : p.answered / p.required }}
              />
            </li>
          )
        })}
      </ol>
    </nav>
  )
}

export interface MissingQuestion {
  name: string
  title: string
  pageIndex: number
  pageTitle: string
  /** The server's reason (missing evidence, an invalid answer), when it gave one. */
  message?: string
}

/**
 * The summary of an incomplete submit: how many questions, on which pages,
 * each a link that opens its page and focuses it. Focusable, so it is
 * brought into view and read out when it appears.
 */
export const SubmitSummary = forwardRef<
  HTMLElement,
  { missing: MissingQuestion[]; onOpen: (question: string) => void }
>(function SubmitSummary({ missing, onOpen }, ref) {
  const { t } = useTranslation('assessment')
  const byPage = new Map<number, { title: string; questions: MissingQuestion[] }>()
  for (const m of missing) {
    const entry = byPage.get(m.pageIndex) ?? { title: m.pageTitle, questions: [] }
    entry.questions.push(m)
    byPage.set(m.pageIndex, entry)
  }
  return (
    <section
      ref={ref}
      className="card submit-summary"
      tabIndex={-1}
      role="alert"
      aria-labelledby="submit-summary-title"
      data-testid="submit-summary"
    >
      <h2 id="submit-summary-title">
        {t('summary.title', { count: missing.length, pages: byPage.size })}
      </h2>
      {[...byPage.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, page]) => (
          <div key={index}>
            <h3>
              {t('summary.page', {
                number: index + 1,
                title: page.title,
                count: page.questions.length,
              })}
            </h3>
            <ul>
              {page.questions.map((q) => (
                <li key={q.name}>
                  <a
                    href={`#question-${q.name}`}
                    onClick={(event) => {
                      event.preventDefault()
                      onOpen(q.name)
                    }}
                  >
                    {q.title}
                  </a>
                  {q.message ? <span className="muted"> — {q.message}</span> : null}
                </li>
              ))}
            </ul>
          </div>
        ))}
    </section>
  )
})
