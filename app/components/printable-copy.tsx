/**
 * A questionnaire on paper: pages as sections, each question with its number,
 * title and help; a blank form shows a box per choice (☐ tick one, ☐ tick any)
 * or writing lines; an answered copy shows the answer, or "not answered".
 */
import { useTranslation } from 'react-i18next'
import type { PrintablePage } from '../questionnaire/texts.server.ts'

export function PrintableCopy({ pages, blank }: { pages: PrintablePage[]; blank: boolean }) {
  const { t } = useTranslation('assessment')
  return (
    <div className="printable-copy">
      {pages.map((page) => (
        <section key={page.name} aria-labelledby={`page-${page.name}`} className="print-page">
          <h2 id={`page-${page.name}`}>{page.title}</h2>
          {page.questions.length === 0 ? <p className="muted">{t('print.noQuestions')}</p> : null}
          <ol className="print-questions">
            {page.questions.map((q) => (
              <li key={q.name} className="print-question" data-question={q.name}>
                <p className="print-title">
                  <span className="print-number">{q.number || '↳'}</span> {q.title}
                  {q.required ? (
                    <span className="print-required" title={t('print.required')}>
                      {' '}
                      *
                    </span>
                  ) : null}
                </p>
                {q.description ? <p className="muted print-help">{q.description}</p> : null}
                {blank && q.condition ? (
                  <p className="print-condition">
                    {t('print.onlyIf', {
                      question: q.condition.question,
                      answers: q.condition.answers.map((a) => `“${a}”`).join(t('print.or')),
                    })}
                  </p>
                ) : null}
                {blank ? (
                  <BlankAnswer kind={q.kind} choices={q.choices} />
                ) : (
                  <p className="print-answer" data-testid="print-answer">
                    {q.answer ?? <span className="muted">{t('print.unanswered')}</span>}
                  </p>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  )
}

function BlankAnswer({ kind, choices }: { kind: 'one' | 'many' | 'write'; choices: string[] }) {
  const { t } = useTranslation('assessment')
  if (kind === 'write' || choices.length === 0) {
    return (
      <div className="print-lines">
        <span className="visually-hidden">{t('print.writeHere')}</span>
      </div>
    )
  }
  return (
    <>
      <p className="muted print-hint">{kind === 'one' ? t('print.tickOne') : t('print.tickAny')}</p>
      <ul className="print-choices">
        {choices.map((choice) => (
          <li key={choice}>
            <span aria-hidden="true">☐ </span>
            {choice}
          </li>
        ))}
      </ul>
    </>
  )
}
