/**
 * The self-assessment form: SurveyJS (survey-react-ui) rendered in the
 * browser only (see README: dropdown hydration on tablets), autosaved through
 * `SaveQueue`, with a visible save state, the conflict screen, evidence
 * uploads and submit.
 */
import { useNavigate, useRevalidator } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Model, surveyLocalization } from 'survey-core'
import 'survey-core/i18n/vietnamese'
// The `fontless` sheet: nothing is fetched from the internet.
import 'survey-core/survey-core.fontless.min.css'
import { Survey } from 'survey-react-ui'
import {
  isSignedOut,
  SaveQueue,
  signInAgainHref,
  splitConflict,
  type ConflictPayload,
  type SaveState,
} from '../assessment/save-queue.ts'
import { ApiErrorSchema } from '../utils/api-contract.ts'

// The questionnaire's `default` strings are Vietnamese.
surveyLocalization.defaultLocale = 'vi'

export interface AssessmentFormProps {
  roundId: number
  /** The round takes writes today; when not, the form is read-only. */
  roundOpen: boolean
  facilityId: number
  questionnaire: Record<string, unknown>
  locale: 'vi' | 'en'
  assessment: {
    status: string
    version: number
    answers: Record<string, unknown>
    currentPage: number
  } | null
  evidenceItems: string[]
  evidence: Array<{ id: number; question: string; file_name: string; size_bytes: number }>
  comments: Array<{
    id: number
    question: string | null
    body: string
    author: string
    created_at: string
  }>
}

function relativeTime(
  t: (key: string, o?: Record<string, unknown>) => string,
  at: string,
  now: number,
): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000))
  if (seconds < 5) return t('ago.now')
  if (seconds < 60) return t('ago.seconds', { count: seconds })
  return t('ago.minutes', { count: Math.floor(seconds / 60) })
}

/** The server's message when it answered in the error contract, else null. */
async function contractMessage(response: Response): Promise<string | null> {
  const parsed = ApiErrorSchema.safeParse(await response.json().catch(() => null))
  return parsed.success ? parsed.data.error.message : null
}

/** "Your session ended — sign in again", with a link back to this page. */
function SignedOutNotice({ pending }: { pending: number }) {
  const { t } = useTranslation()
  return (
    <>
      {t('sessionEnded.message', { count: pending })}{' '}
      <a href={signInAgainHref(`${window.location.pathname}${window.location.search}`)}>
        {t('sessionEnded.signIn')}
      </a>
    </>
  )
}

function formatValue(value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty
  return Array.isArray(value) ? value.join(', ') : String(value)
}

export function AssessmentForm(props: AssessmentFormProps) {
  const { t } = useTranslation('assessment')
  const navigate = useNavigate()
  const revalidator = useRevalidator()
  const [state, setState] = useState<SaveState>({ kind: 'idle' })
  const [restored, setRestored] = useState(0)
  const [now, setNow] = useState(() => Date.now())
  const [submitMessage, setSubmitMessage] = useState<string | null>(null)
  /** A submit or an upload found the session ended (the queue reports its own). */
  const [signedOut, setSignedOut] = useState(false)
  const [conflictChoice, setConflictChoice] = useState<Record<string, 'mine' | 'theirs'>>({})
  const submissionId = useRef<string | null>(null)
  const editable =
    props.roundOpen &&
    (!props.assessment ||
      props.assessment.status === 'draft' ||
      props.assessment.status === 'returned')

  const model = useMemo(() => {
    const m = new Model(props.questionnaire)
    m.locale = props.locale === 'en' ? 'en' : ''
    m.showProgressBar = 'top'
    m.progressBarType = 'pages'
    m.completeText = t('submit')
    // An answer that hides a question clears that question's answer in the same
    // save: the server refuses answers to hidden questions (never drops them).
    m.clearInvisibleValues = 'onHidden'
    m.data = props.assessment?.answers ?? {}
    if (!editable) m.readOnly = true
    return m
    // The model is built once per page load; later changes flow through events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const queue = useMemo(
    () =>
      new SaveQueue({
        storageKey: `sansang:pending:${props.facilityId}:${props.roundId}`,
        roundId: props.roundId,
        baseVersion: props.assessment?.version ?? 0,
        currentPage: props.assessment?.currentPage ?? 0,
        storage: window.localStorage,
        fetch: (input, init) => window.fetch(input, init),
        onState: setState,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  useEffect(() => {
    // Changes left on this device by an earlier visit (offline, reload) come back first.
    const stored = editable ? queue.restore() : null
    if (stored) {
      for (const [q, v] of Object.entries(stored.changes)) {
        if (v === null) model.clearValue(q)
        else model.setValue(q, v)
      }
      setRestored(Object.keys(stored.changes).length)
      void queue.flush()
    }
    const page = props.assessment?.currentPage ?? 0
    if (page > 0 && page < model.visiblePages.length) model.currentPageNo = page
    const onValue = (_: Model, options: { name: string; value: unknown }) => {
      queue.change(options.name, options.value)
      queue.clearInvalid()
    }
    const onPage = (sender: Model) => queue.page(sender.currentPageNo)
    model.onValueChanged.add(onValue)
    model.onCurrentPageChanged.add(onPage)
    const online = () => void queue.flush()
    window.addEventListener('online', online)
    const tick = window.setInterval(() => {
      setNow(Date.now())
      const kind = queue.getState().kind
      // signed_out too: once the user signs in again (in another tab), the changes go.
      if ((kind === 'offline' || kind === 'error' || kind === 'signed_out') && navigator.onLine) {
        void queue.flush()
      }
    }, 5000)
    return () => {
      model.onValueChanged.remove(onValue)
      model.onCurrentPageChanged.remove(onPage)
      window.removeEventListener('online', online)
      window.clearInterval(tick)
    }
  }, [model, queue, editable, props.assessment?.currentPage])

  useEffect(() => {
    if (state.kind !== 'invalid') return
    for (const e of state.errors) {
      model
        .getQuestionByName(e.question)
        ?.addError(props.locale === 'en' ? e.message.en : e.message.vi)
    }
  }, [state, model, props.locale])

  const submit = useCallback(async () => {
    setSubmitMessage(t('submitting'))
    let flushed = await queue.flush()
    // Answers typed while the last save was on the wire go too, before the submit
    // (each round sends something, so this ends with the queue empty or a failure).
    while (flushed.kind === 'waiting' && queue.pending > 0) flushed = await queue.flush()
    if (flushed.kind === 'signed_out') {
      setSubmitMessage(null)
      return
    }
    if (flushed.kind !== 'saved' && flushed.kind !== 'idle' && queue.pending > 0) {
      setSubmitMessage(
        flushed.kind === 'closed'
          ? flushed.message[props.locale]
          : flushed.kind === 'error' && flushed.message
            ? flushed.message
            : t('submitFailed', { status: flushed.kind }),
      )
      return
    }
    submissionId.current ??= crypto.randomUUID()
    let response: Response
    try {
      response = await fetch('/assessment/submit', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          roundId: props.roundId,
          version: queue.version,
          submissionId: submissionId.current,
        }),
      })
    } catch {
      setSubmitMessage(t('submitFailed', { status: 'offline' }))
      return
    }
    if (isSignedOut(response)) {
      setSignedOut(true)
      setSubmitMessage(null)
      return
    }
    setSignedOut(false)
    if (!response.ok && response.status !== 422) {
      setSubmitMessage(
        (await contractMessage(response)) ?? t('submitFailed', { status: response.status }),
      )
      return
    }
    const body = (await response.json().catch(() => null)) as {
      kind?: string
      errors?: Array<{ question: string; message: { vi: string; en: string } }>
      message?: { vi: string; en: string }
    } | null
    if (response.ok) {
      window.localStorage.removeItem(`sansang:pending:${props.facilityId}:${props.roundId}`)
      navigate('/results')
      return
    }
    if (response.status === 422 && body?.errors) {
      for (const e of body.errors) {
        model
          .getQuestionByName(e.question)
          ?.addError(props.locale === 'en' ? e.message.en : e.message.vi)
      }
      const first = body.errors[0]
      if (first) model.focusQuestion(first.question)
      setSubmitMessage(t('submitErrors', { count: body.errors.length }))
      return
    }
    if (body?.kind === 'round_not_open' && body.message) {
      setSubmitMessage(body.message[props.locale])
      return
    }
    setSubmitMessage(t('submitFailed', { status: response.status }))
  }, [queue, props.roundId, props.facilityId, props.locale, model, navigate, t])

  useEffect(() => {
    const onCompleting = (_: Model, options: { allow: boolean }) => {
      options.allow = false
      void submit()
    }
    model.onCompleting.add(onCompleting)
    return () => model.onCompleting.remove(onCompleting)
  }, [model, submit])

  const conflict: ConflictPayload | null = state.kind === 'conflict' ? state.conflict : null
  const split = useMemo(
    () => (conflict ? splitConflict(queue.snapshot(), conflict) : null),
    [conflict, queue],
  )

  const applyMerge = () => {
    if (!conflict || !split) return
    const mine = queue.snapshot()
    const keep: Record<string, unknown> = {}
    for (const [q, v] of Object.entries(mine)) {
      const overlap = split.overlapping.find((o) => o.question === q)
      if (!overlap || conflictChoice[q] !== 'theirs') keep[q] = v
    }
    // Take the server's answers, then lay the kept changes of this user on top.
    const merged: Record<string, unknown> = { ...conflict.answers }
    for (const [q, v] of Object.entries(keep)) {
      if (v === null) delete merged[q]
      else merged[q] = v
    }
    model.data = merged
    queue.resolveConflict(conflict.version, keep)
    setConflictChoice({})
  }

  const questionTitle = (name: string) => model.getQuestionByName(name)?.title ?? name
  // The same element on every render: React then skips the survey when only this
  // component's state changes (save status, the clock). Re-rendering it resets a
  // text box to the model's value and erased what was being typed whenever an
  // autosave finished (surveyjs/survey-library#10584).
  const surveyView = useMemo(() => <Survey model={model} />, [model])

  return (
    <div className="assessment-form">
      {editable ? (
        <p
          className={`save-state save-state-${state.kind}`}
          role="status"
          aria-live="polite"
          data-testid="save-state"
        >
          {state.kind === 'idle' && t('status.idle')}
          {state.kind === 'waiting' && t('status.waiting', { count: state.pending })}
          {state.kind === 'saving' && t('status.saving', { count: state.pending })}
          {state.kind === 'saved' && t('status.saved', { ago: relativeTime(t, state.at, now) })}
          {state.kind === 'offline' && t('status.offline', { count: state.pending })}
          {state.kind === 'conflict' && t('status.conflict')}
          {state.kind === 'invalid' && t('status.invalid')}
          {state.kind === 'locked' && t('status.locked')}
          {state.kind === 'signed_out' && <SignedOutNotice pending={state.pending} />}
          {state.kind === 'closed' && state.message[props.locale]}
          {state.kind === 'error' &&
            (state.message
              ? `${state.message} ${t('common:saveQueue.pending', { count: state.pending })}`
              : t('status.error', { status: state.status, count: state.pending }))}
        </p>
      ) : null}
      {signedOut && state.kind !== 'signed_out' ? (
        <p className="form-error" role="alert">
          <SignedOutNotice pending={queue.pending} />
        </p>
      ) : null}
      {restored > 0 ? <p className="notice">{t('status.restored', { count: restored })}</p> : null}
      {props.comments.length > 0 ? (
        <section className="card comments" aria-labelledby="comments-title">
          <h2 id="comments-title">{t('comments.title')}</h2>
          <ul>
            {props.comments.map((c) => (
              <li key={c.id}>
                <strong>
                  {c.question ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => c.question && model.focusQuestion(c.question)}
                    >
                      {questionTitle(c.question)}
                    </button>
                  ) : (
                    t('comments.general')
                  )}
                </strong>
                : {c.body}{' '}
                <span className="muted">
                  — {c.author}, {c.created_at.slice(0, 10)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {conflict && split ? (
        <section className="card conflict" role="alertdialog" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{t('conflict.title')}</h2>
          <p>{t('conflict.intro')}</p>
          {split.theirsOnly.length > 0 ? (
            <p>{t('conflict.autoMerged', { count: split.theirsOnly.length })}</p>
          ) : null}
          {split.overlapping.map((o) => (
            <fieldset key={o.question}>
              <legend>{questionTitle(o.question)}</legend>
              <label>
                <input
                  type="radio"
                  name={`conflict-${o.question}`}
                  checked={conflictChoice[o.question] !== 'theirs'}
                  onChange={() => setConflictChoice((c) => ({ ...c, [o.question]: 'mine' }))}
                />{' '}
                {t('conflict.mine')}: <strong>{formatValue(o.mine, t('conflict.empty'))}</strong>
              </label>
              <label>
                <input
                  type="radio"
                  name={`conflict-${o.question}`}
                  checked={conflictChoice[o.question] === 'theirs'}
                  onChange={() => setConflictChoice((c) => ({ ...c, [o.question]: 'theirs' }))}
                />{' '}
                {t('conflict.theirs', { name: o.by })}:{' '}
                <strong>{formatValue(o.theirs, t('conflict.empty'))}</strong>
              </label>
            </fieldset>
          ))}
          <button type="button" onClick={applyMerge}>
            {t('conflict.apply')}
          </button>
        </section>
      ) : null}
      {submitMessage ? (
        <p className="form-error" role="alert">
          {submitMessage}
        </p>
      ) : null}
      {surveyView}
      {props.evidenceItems.length > 0 ? (
        <EvidencePanel
          {...props}
          editable={editable}
          questionTitle={questionTitle}
          onUploaded={() => revalidator.revalidate()}
          onSignedOut={() => setSignedOut(true)}
        />
      ) : null}
    </div>
  )
}

function EvidencePanel(
  props: AssessmentFormProps & {
    editable: boolean
    questionTitle: (name: string) => string
    onUploaded: () => void
    onSignedOut: () => void
  },
) {
  const { t } = useTranslation('assessment')
  const [message, setMessage] = useState<string | null>(null)
  const upload = async (question: string, file: File) => {
    setMessage(t('evidence.uploading'))
    const form = new FormData()
    form.set('roundId', String(props.roundId))
    form.set('question', question)
    form.set('file', file)
    const response = await fetch('/assessment/evidence', { method: 'POST', body: form }).catch(
      () => null,
    )
    if (!response) {
      setMessage(t('submitFailed', { status: 'offline' }))
      return
    }
    if (isSignedOut(response)) {
      setMessage(null)
      props.onSignedOut()
      return
    }
    const body: unknown = await response.json().catch(() => null)
    const failure = ApiErrorSchema.safeParse(body)
    const outcome = (body ?? {}) as { fileName?: string; message?: { vi: string; en: string } }
    if (response.ok) {
      setMessage(t('evidence.uploaded', { name: outcome.fileName ?? file.name }))
      props.onUploaded()
    } else if (failure.success) {
      setMessage(failure.data.error.message)
    } else {
      setMessage(
        outcome.message
          ? outcome.message[props.locale]
          : t('submitFailed', { status: response.status }),
      )
    }
  }
  return (
    <section className="card evidence" aria-labelledby="evidence-title">
      <h2 id="evidence-title">{t('evidence.title')}</h2>
      <p className="muted">{t('evidence.intro')}</p>
      {message ? <p role="status">{message}</p> : null}
      <ul className="evidence-list">
        {props.evidenceItems.map((question) => {
          const files = props.evidence.filter((e) => e.question === question)
          return (
            <li key={question}>
              <strong>{props.questionTitle(question)}</strong>
              {files.length === 0 ? (
                <span className="muted"> — {t('evidence.none')}</span>
              ) : (
                <ul>
                  {files.map((f) => (
                    <li key={f.id}>
                      <a href={`/evidence/${f.id}`} target="_blank" rel="noreferrer">
                        {f.file_name}
                      </a>{' '}
                      <span className="muted">({Math.ceil(f.size_bytes / 1024)} KB)</span>
                    </li>
                  ))}
                </ul>
              )}
              {props.editable ? (
                <label className="upload">
                  <span className="visually-hidden">
                    {t('evidence.chooseFile', { question: props.questionTitle(question) })}
                  </span>
                  <input
                    type="file"
                    accept="application/pdf,image/png,image/jpeg"
                    onChange={(event) => {
                      const file = event.currentTarget.files?.[0]
                      if (file) void upload(question, file)
                      event.currentTarget.value = ''
                    }}
                  />
                </label>
              ) : null}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
