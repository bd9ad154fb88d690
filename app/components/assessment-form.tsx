/**
 * The self-assessment form: SurveyJS (survey-react-ui) rendered in the
 * browser only (see README: dropdown hydration on tablets), autosaved through
 * `SaveQueue`, with a visible save state, the progress of each page, the
 * conflict screen (only for questions both people changed), evidence at its
 * gate question, the submit summary and the director's sign-off. Loaded as
 * its own chunk (app/routes/assessment._index.tsx).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { Model, QuestionSelectBase, surveyLocalization } from 'survey-core'
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
  type MergedChange,
  type SaveState,
} from '../assessment/save-queue.ts'
import { ApiErrorSchema } from '../utils/api-contract.ts'
import { formatDate } from '../utils/date-format.ts'
import { EvidenceAtQuestion, type EvidenceFileView } from './evidence-at-question.tsx'
import {
  FormProgress,
  pageProgress,
  SubmitSummary,
  type MissingQuestion,
  type PageProgress,
} from './form-progress.tsx'
import { SignOffDialog, type SubmitPreview } from './sign-off-dialog.tsx'
import { SubmissionReceipt, type ReceiptView } from './submission-receipt.tsx'

// The questionnaire's `default` strings are Vietnamese.
surveyLocalization.defaultLocale = 'vi'

const EVIDENCE_REF = '__evidence_ref'

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
  evidence: EvidenceFileView[]
  comments: Array<{
    id: number
    question: string | null
    body: string
    author: string
    created_at: string
  }>
  /** The director signs off; staff prepare. */
  canSubmit: boolean
}

/** The localStorage key of this facility's queue for this round. */
export function queueStorageKey(facilityId: number, roundId: number): string {
  return `sansang:pending:${facilityId}:${roundId}`
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

/** An answer as a person reads it: the choices' labels, never their codes. */
function describeValue(model: Model, question: string, value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty
  const q = model.getQuestionByName(question)
  const label = (v: unknown) => {
    if (q instanceof QuestionSelectBase) {
      const item = q.getItemByValue(v) ?? (v === q.noneItem.value ? q.noneItem : null)
      if (item) return item.text
    }
    return String(v)
  }
  return Array.isArray(value) ? value.map(label).join('; ') : label(value)
}

type AnswerErrors = Array<{ question: string; message: { vi: string; en: string } }>

/** Brings an element into view below the sticky save bar and gives it focus. */
function showAndFocus(element: HTMLElement | null): void {
  if (!element) return
  element.scrollIntoView({ block: 'start', behavior: 'smooth' })
  element.focus({ preventScroll: true })
}

export function AssessmentForm(props: AssessmentFormProps) {
  const { t } = useTranslation('assessment')
  const [state, setState] = useState<SaveState>({ kind: 'idle' })
  const [restored, setRestored] = useState(0)
  const [now, setNow] = useState(() => Date.now())
  const [submitMessage, setSubmitMessage] = useState<string | null>(null)
  /** A submit or an upload found the session ended (the queue reports its own). */
  const [signedOut, setSignedOut] = useState(false)
  const [conflictChoice, setConflictChoice] = useState<Record<string, 'mine' | 'theirs'>>({})
  const [progress, setProgress] = useState<PageProgress[]>([])
  const [currentPage, setCurrentPage] = useState(0)
  const [missing, setMissing] = useState<MissingQuestion[] | null>(null)
  const [preview, setPreview] = useState<SubmitPreview | null>(null)
  const [signing, setSigning] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  })
  const [receipt, setReceipt] = useState<ReceiptView | null>(null)
  const [merged, setMerged] = useState<MergedChange[]>([])
  const [files, setFiles] = useState<EvidenceFileView[]>(props.evidence)
  const [evidenceSlots, setEvidenceSlots] = useState<Record<string, HTMLElement>>({})
  const summaryRef = useRef<HTMLElement>(null)
  const messageRef = useRef<HTMLParagraphElement>(null)
  const [focusRequest, setFocusRequest] = useState<{
    target: 'summary' | 'message'
    seq: number
  } | null>(null)
  const submissionId = useRef<string | null>(null)
  /** True while answers from the server are put into the model: they are not the user's changes. */
  const applyingRemote = useRef(false)
  const editable =
    props.roundOpen &&
    !receipt &&
    (!props.assessment ||
      props.assessment.status === 'draft' ||
      props.assessment.status === 'returned')

  const base = {
    version: props.assessment?.version ?? 0,
    answers: props.assessment?.answers ?? {},
  }

  const model = useMemo(() => {
    const m = new Model(props.questionnaire)
    m.locale = props.locale === 'en' ? 'en' : ''
    // Our own progress bar names the pages and shows each one's completion.
    m.showProgressBar = 'off'
    m.completeText = props.canSubmit ? t('submit') : t('checkReady')
    // An answer that hides a question clears that question's answer in the same
    // save: the server refuses answers to hidden questions (never drops them).
    m.clearInvisibleValues = 'onHidden'
    // An incomplete submit still reaches onCompleting, which shows the summary
    // of every missing question (SurveyJS alone would only jump to the first).
    m.validationAllowComplete = true
    m.data = base.answers
    if (!editable) m.readOnly = true
    return m
    // The model is built once per page load; later changes flow through events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const storageKey = queueStorageKey(props.facilityId, props.roundId)
  const queue = useMemo(
    () =>
      new SaveQueue({
        storageKey,
        roundId: props.roundId,
        baseVersion: base.version,
        currentPage: props.assessment?.currentPage ?? 0,
        storage: window.localStorage,
        fetch: (input, init) => window.fetch(input, init),
        onState: setState,
        onMerged: (changes) => {
          applyingRemote.current = true
          try {
            for (const c of changes) {
              if (c.value === null) model.clearValue(c.question)
              else model.setValue(c.question, c.value)
            }
          } finally {
            applyingRemote.current = false
          }
          setMerged(changes)
        },
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  const refreshProgress = useCallback(() => {
    setProgress(pageProgress(model))
    setCurrentPage(model.currentPageNo)
  }, [model])

  useEffect(() => {
    // Changes left on this device by an earlier visit (offline, reload, an
    // ended session) come back first, on the page the person was on.
    const stored = editable ? queue.restore() : null
    let page = props.assessment?.currentPage ?? 0
    if (stored) {
      applyingRemote.current = true
      try {
        for (const [q, v] of Object.entries(stored.changes)) {
          if (v === null) model.clearValue(q)
          else model.setValue(q, v)
        }
      } finally {
        applyingRemote.current = false
      }
      setRestored(Object.keys(stored.changes).length)
      page = stored.currentPage
      void queue.flush()
    }
    if (page > 0 && page < model.visiblePages.length) model.currentPageNo = page
    refreshProgress()
    const onValue = (_: Model, options: { name: string; value: unknown }) => {
      if (!applyingRemote.current) {
        queue.change(options.name, options.value)
        queue.clearInvalid()
      }
      refreshProgress()
    }
    const onPage = (sender: Model) => {
      queue.page(sender.currentPageNo)
      refreshProgress()
    }
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
  }, [model, queue, editable, props.assessment?.currentPage, refreshProgress])

  // The evidence box of each gate question, rendered into its reference question.
  useEffect(() => {
    const items = new Set(props.evidenceItems)
    const onRender = (
      _: Model,
      options: { question: { name: string }; htmlElement: HTMLElement },
    ) => {
      const name = options.question.name
      if (!name.endsWith(EVIDENCE_REF)) return
      const item = name.slice(0, -EVIDENCE_REF.length)
      if (!items.has(item)) return
      let slot = options.htmlElement.querySelector<HTMLElement>(':scope > .evidence-slot')
      if (!slot) {
        slot = document.createElement('div')
        slot.className = 'evidence-slot'
        options.htmlElement.appendChild(slot)
      }
      const element = slot
      setEvidenceSlots((slots) => (slots[item] === element ? slots : { ...slots, [item]: element }))
    }
    model.onAfterRenderQuestion.add(onRender)
    return () => model.onAfterRenderQuestion.remove(onRender)
  }, [model, props.evidenceItems])

  const errorText = useCallback(
    (m: { vi: string; en: string }) => (props.locale === 'en' ? m.en : m.vi),
    [props.locale],
  )

  useEffect(() => {
    if (state.kind !== 'invalid') return
    for (const e of state.errors)
      model.getQuestionByName(e.question)?.addError(errorText(e.message))
  }, [state, model, errorText])

  /** The summary of what is missing, from the server's errors or the form's own check. */
  const showMissing = useCallback((list: MissingQuestion[]) => {
    setMissing(list)
    setSubmitMessage(null)
    setFocusRequest((r) => ({ target: 'summary', seq: (r?.seq ?? 0) + 1 }))
  }, [])

  const missingFromErrors = useCallback(
    (errors: AnswerErrors): MissingQuestion[] =>
      errors.map((e) => {
        const question = model.getQuestionByName(e.question)
        const pageIndex = question
          ? model.visiblePages.findIndex((p) => p.questions.includes(question))
          : -1
        const page = model.visiblePages[pageIndex]
        question?.addError(errorText(e.message))
        return {
          name: e.question,
          title: question?.title ?? e.question,
          pageIndex,
          pageTitle: page?.title ?? '',
          message: errorText(e.message),
        }
      }),
    [model, errorText],
  )

  const say = useCallback((message: string) => {
    setSubmitMessage(message)
    setFocusRequest((r) => ({ target: 'message', seq: (r?.seq ?? 0) + 1 }))
  }, [])

  // Into view below the sticky save bar, and focused, once React has drawn it.
  // Not the next animation frame: after an await React renders in a later
  // task, and on a busy machine the frame can come first, with nothing to focus.
  useEffect(() => {
    if (!focusRequest) return
    showAndFocus(focusRequest.target === 'summary' ? summaryRef.current : messageRef.current)
  }, [focusRequest])

  /** Sends what is queued; false (with the reason shown) when something stays unsent. */
  const flushAll = useCallback(async (): Promise<boolean> => {
    let flushed = await queue.flush()
    // Answers typed while the last save was on the wire go too (each round sends
    // something, so this ends with the queue empty or a failure).
    while (flushed.kind === 'waiting' && queue.pending > 0) flushed = await queue.flush()
    if (flushed.kind === 'signed_out') return false
    if (flushed.kind !== 'saved' && flushed.kind !== 'idle' && queue.pending > 0) {
      say(
        flushed.kind === 'closed'
          ? flushed.message[props.locale]
          : flushed.kind === 'error' && flushed.message
            ? flushed.message
            : t('submitFailed', { status: flushed.kind }),
      )
      return false
    }
    return true
  }, [queue, props.locale, say, t])

  /** "Submit" (or, for staff, "check"): flush, list what is missing, or open the sign-off. */
  const startSubmit = useCallback(async () => {
    setMissing(null)
    setSubmitMessage(t('checking'))
    if (!(await flushAll())) return
    // The form's own check first: it answers at once, even offline.
    const local = pageProgress(model).flatMap((p) =>
      p.missing.map((q) => ({ ...q, pageIndex: p.index, pageTitle: p.title })),
    )
    if (local.length > 0) {
      showMissing(local)
      return
    }
    let response: Response
    try {
      response = await fetch(`/assessment/preview?roundId=${props.roundId}`)
    } catch {
      say(t('submitFailed', { status: 'offline' }))
      return
    }
    if (isSignedOut(response)) {
      setSignedOut(true)
      setSubmitMessage(null)
      return
    }
    const body = (await response.json().catch(() => null)) as
      | (SubmitPreview & { kind: 'ready'; canSubmit: boolean })
      | { kind: 'invalid'; errors: AnswerErrors }
      | { kind: 'round_not_open'; message: { vi: string; en: string } }
      | { kind: string }
      | null
    if (response.ok && body?.kind === 'ready' && 'compositeBp' in body) {
      setSubmitMessage(null)
      if (body.canSubmit) setPreview(body)
      else say(t('readyForDirector'))
      return
    }
    if (body?.kind === 'invalid' && 'errors' in body) {
      showMissing(missingFromErrors(body.errors))
      return
    }
    if (body?.kind === 'round_not_open' && 'message' in body) {
      say(body.message[props.locale])
      return
    }
    say(t('submitFailed', { status: response.status }))
  }, [flushAll, model, props.roundId, props.locale, say, showMissing, missingFromErrors, t])

  const signOff = useCallback(
    async (password: string) => {
      if (!preview) return
      setSigning({ busy: true, error: null })
      submissionId.current ??= crypto.randomUUID()
      let response: Response
      try {
        response = await fetch('/assessment/submit', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            roundId: props.roundId,
            version: preview.version,
            submissionId: submissionId.current,
            password,
          }),
        })
      } catch {
        setSigning({ busy: false, error: t('submitFailed', { status: 'offline' }) })
        return
      }
      if (isSignedOut(response)) {
        setPreview(null)
        setSigning({ busy: false, error: null })
        setSignedOut(true)
        return
      }
      if (response.status === 403 || response.status === 429) {
        setSigning({
          busy: false,
          error: (await contractMessage(response)) ?? t('signOff.wrongPassword'),
        })
        return
      }
      const body = (await response.json().catch(() => null)) as {
        kind?: string
        receipt?: ReceiptView
        errors?: AnswerErrors
        message?: { vi: string; en: string }
      } | null
      setPreview(null)
      setSigning({ busy: false, error: null })
      if (response.ok && body?.receipt) {
        window.localStorage.removeItem(storageKey)
        model.readOnly = true
        setReceipt(body.receipt)
        setSubmitMessage(null)
        return
      }
      // A new submission id for the next attempt: this one was refused.
      submissionId.current = null
      if (response.status === 422 && body?.errors) {
        showMissing(missingFromErrors(body.errors))
        return
      }
      if (body?.kind === 'stale') {
        say(t('signOff.stale'))
        return
      }
      if (body?.message) {
        say(body.message[props.locale])
        return
      }
      say((await contractMessage(response)) ?? t('submitFailed', { status: response.status }))
    },
    [
      preview,
      props.roundId,
      props.locale,
      storageKey,
      model,
      showMissing,
      missingFromErrors,
      say,
      t,
    ],
  )

  useEffect(() => {
    const onCompleting = (_: Model, options: { allow: boolean }) => {
      options.allow = false
      void startSubmit()
    }
    model.onCompleting.add(onCompleting)
    return () => model.onCompleting.remove(onCompleting)
  }, [model, startSubmit])

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
    const next: Record<string, unknown> = { ...conflict.answers }
    for (const [q, v] of Object.entries(keep)) {
      if (v === null) delete next[q]
      else next[q] = v
    }
    applyingRemote.current = true
    try {
      model.data = next
    } finally {
      applyingRemote.current = false
    }
    queue.resolveConflict(conflict.version, keep)
    setConflictChoice({})
    refreshProgress()
  }

  const openQuestion = (name: string) => {
    model.focusQuestion(name)
    refreshProgress()
  }
  const openPage = (index: number) => {
    model.currentPageNo = index
    refreshProgress()
    window.requestAnimationFrame(() =>
      showAndFocus(document.querySelector<HTMLElement>('.sd-page__title, .sd-page')),
    )
  }
  const questionTitle = (name: string) => model.getQuestionByName(name)?.title ?? name
  const empty = t('conflict.empty')
  // The same element on every render: React then skips the survey when only this
  // component's state changes (save status, the clock). Re-rendering it resets a
  // text box to the model's value and erased what was being typed whenever an
  // autosave finished (surveyjs/survey-library#10584).
  const surveyView = useMemo(() => <Survey model={model} />, [model])
  // Files kept for a gate the answers no longer claim (its reference box is
  // hidden): still listed, so they can be removed.
  const orphans = files.filter(
    (f) => !model.getQuestionByName(`${f.question}${EVIDENCE_REF}`)?.isVisible,
  )

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
      {merged.length > 0 ? (
        <p className="notice" role="status" data-testid="merged-notice">
          {t('merged', {
            count: merged.length,
            names: [...new Set(merged.map((c) => c.by))].join(', '),
          })}
        </p>
      ) : null}
      {receipt ? <SubmissionReceipt receipt={receipt} /> : null}
      {receipt ? (
        <p className="notice">
          <a href="/results">{t('viewResults')}</a>
        </p>
      ) : null}
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
                      onClick={() => c.question && openQuestion(c.question)}
                    >
                      {questionTitle(c.question)}
                    </button>
                  ) : (
                    t('comments.general')
                  )}
                </strong>
                : {c.body}{' '}
                <span className="muted">
                  — {c.author}, {formatDate(c.created_at)}
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
                {t('conflict.mine')}:{' '}
                <strong>{describeValue(model, o.question, o.mine, empty)}</strong>
              </label>
              <label>
                <input
                  type="radio"
                  name={`conflict-${o.question}`}
                  checked={conflictChoice[o.question] === 'theirs'}
                  onChange={() => setConflictChoice((c) => ({ ...c, [o.question]: 'theirs' }))}
                />{' '}
                {t('conflict.theirs', { name: o.by })}:{' '}
                <strong>{describeValue(model, o.question, o.theirs, empty)}</strong>
              </label>
            </fieldset>
          ))}
          <button type="button" onClick={applyMerge}>
            {t('conflict.apply')}
          </button>
        </section>
      ) : null}
      {missing && missing.length > 0 ? (
        <SubmitSummary ref={summaryRef} missing={missing} onOpen={openQuestion} />
      ) : null}
      {submitMessage ? (
        <p ref={messageRef} className="form-error" role="alert" tabIndex={-1}>
          {submitMessage}
        </p>
      ) : null}
      {progress.length > 0 ? (
        <FormProgress pages={progress} current={currentPage} onOpen={openPage} />
      ) : null}
      {props.evidenceItems.length > 0 && editable ? (
        <p className="muted">{t('evidence.intro')}</p>
      ) : null}
      {surveyView}
      {Object.entries(evidenceSlots).map(([question, slot]) =>
        createPortal(
          <EvidenceAtQuestion
            roundId={props.roundId}
            question={question}
            questionTitle={questionTitle(question)}
            files={files.filter((f) => f.question === question)}
            editable={editable}
            locale={props.locale}
            onChanged={({ added, removed }) =>
              setFiles((list) => [
                ...list.filter((f) => f.id !== removed),
                ...(added ? [added] : []),
              ])
            }
            onSignedOut={() => setSignedOut(true)}
          />,
          slot,
          question,
        ),
      )}
      {orphans.length > 0 ? (
        <section className="card evidence" aria-labelledby="evidence-orphans-title">
          <h2 id="evidence-orphans-title">{t('evidence.orphansTitle')}</h2>
          <p className="muted">{t('evidence.orphansIntro')}</p>
          {[...new Set(orphans.map((f) => f.question))].map((question) => (
            <div key={question}>
              <h3>{questionTitle(question)}</h3>
              <EvidenceAtQuestion
                roundId={props.roundId}
                question={question}
                questionTitle={questionTitle(question)}
                files={orphans.filter((f) => f.question === question)}
                editable={editable}
                locale={props.locale}
                onChanged={({ removed }) =>
                  setFiles((list) => list.filter((f) => f.id !== removed))
                }
                onSignedOut={() => setSignedOut(true)}
              />
            </div>
          ))}
        </section>
      ) : null}
      {preview ? (
        <SignOffDialog
          preview={preview}
          locale={props.locale}
          busy={signing.busy}
          error={signing.error}
          onConfirm={(password) => void signOff(password)}
          onCancel={() => {
            setPreview(null)
            setSigning({ busy: false, error: null })
          }}
        />
      ) : null}
    </div>
  )
}
