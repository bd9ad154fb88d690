/**
 * Evidence at the gate question: rendered into the question's reference box
 * (`<item>__evidence_ref`), which the questionnaire shows only when the
 * answer claims the gate. Each file can be removed or replaced until the
 * assessment is submitted; each upload shows its own status; the type (by
 * the file's first bytes, as the server decides) and the size are checked
 * here before anything is sent.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES, sniffMimeType } from '../assessment/evidence-rules.ts'
import { isSignedOut } from '../assessment/save-queue.ts'
import { ApiErrorSchema } from '../utils/api-contract.ts'

export interface EvidenceFileView {
  id: number
  question: string
  file_name: string
  size_bytes: number
}

type UploadStatus =
  | { kind: 'checking'; name: string }
  | { kind: 'uploading'; name: string }
  | { kind: 'done'; name: string }
  | { kind: 'removed'; name: string }
  | { kind: 'refused'; name: string; message: string }

/** Checks a chosen file as the server will: size, then the type by its bytes. */
export async function checkEvidenceFile(
  file: File,
  t: (key: string, options?: Record<string, unknown>) => string,
): Promise<string | null> {
  if (file.size === 0 || file.size > MAX_EVIDENCE_BYTES) {
    return t('evidence.tooBig', { size: MAX_EVIDENCE_BYTES / 1024 / 1024 })
  }
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer())
  return sniffMimeType(head) ? null : t('evidence.wrongType')
}

/** The message of a refused answer: the contract's, or a domain outcome's `{ vi, en }`. */
async function refusalMessage(
  response: Response,
  locale: 'vi' | 'en',
  fallback: string,
): Promise<string> {
  const body: unknown = await response.json().catch(() => null)
  const contract = ApiErrorSchema.safeParse(body)
  if (contract.success) return contract.data.error.message
  const message = (body as { message?: { vi?: unknown; en?: unknown } } | null)?.message?.[locale]
  return typeof message === 'string' ? message : fallback
}

export function EvidenceAtQuestion(props: {
  roundId: number
  question: string
  questionTitle: string
  files: EvidenceFileView[]
  editable: boolean
  locale: 'vi' | 'en'
  onChanged: (change: { added?: EvidenceFileView; removed?: number }) => void
  onSignedOut: () => void
}) {
  const { t } = useTranslation('assessment')
  const [status, setStatus] = useState<UploadStatus | null>(null)
  const inputId = `evidence-${props.question}`

  const upload = async (file: File, replaces: EvidenceFileView | null) => {
    setStatus({ kind: 'checking', name: file.name })
    const problem = await checkEvidenceFile(file, t)
    if (problem) {
      setStatus({ kind: 'refused', name: file.name, message: problem })
      return
    }
    setStatus({ kind: 'uploading', name: file.name })
    const form = new FormData()
    form.set('roundId', String(props.roundId))
    form.set('question', props.question)
    form.set('file', file)
    if (replaces) form.set('replaces', String(replaces.id))
    const response = await fetch('/assessment/evidence', { method: 'POST', body: form }).catch(
      () => null,
    )
    if (!response) {
      setStatus({ kind: 'refused', name: file.name, message: t('evidence.offline') })
      return
    }
    if (isSignedOut(response)) {
      setStatus(null)
      props.onSignedOut()
      return
    }
    if (!response.ok) {
      const message = await refusalMessage(
        response,
        props.locale,
        t('evidence.failed', { status: response.status }),
      )
      setStatus({ kind: 'refused', name: file.name, message })
      return
    }
    const stored = (await response.json()) as { id: number; fileName: string; sizeBytes: number }
    props.onChanged({
      added: {
        id: stored.id,
        question: props.question,
        file_name: stored.fileName,
        size_bytes: stored.sizeBytes,
      },
      ...(replaces ? { removed: replaces.id } : {}),
    })
    setStatus({ kind: 'done', name: stored.fileName })
  }

  const remove = async (file: EvidenceFileView) => {
    setStatus({ kind: 'uploading', name: file.file_name })
    const response = await fetch('/assessment/evidence/remove', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ roundId: props.roundId, evidenceId: file.id }),
    }).catch(() => null)
    if (!response) {
      setStatus({ kind: 'refused', name: file.file_name, message: t('evidence.offline') })
      return
    }
    if (isSignedOut(response)) {
      setStatus(null)
      props.onSignedOut()
      return
    }
    if (!response.ok) {
      const message = await refusalMessage(
        response,
        props.locale,
        t('evidence.failed', { status: response.status }),
      )
      setStatus({ kind: 'refused', name: file.file_name, message })
      return
    }
    props.onChanged({ removed: file.id })
    setStatus({ kind: 'removed', name: file.file_name })
  }

  const picker = (replaces: EvidenceFileView | null, label: string, id: string, text: string) => (
    <label className={replaces ? 'upload upload-replace' : 'upload'} htmlFor={id}>
      <span aria-hidden="true">{text}</span>
      <input
        id={id}
        type="file"
        accept={EVIDENCE_ACCEPT}
        aria-label={label}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0]
          if (file) void upload(file, replaces)
          event.currentTarget.value = ''
        }}
      />
    </label>
  )

  return (
    <div className="evidence-at-question" data-testid={`evidence-${props.question}`}>
      <p className="muted evidence-help">{t('evidence.here')}</p>
      {props.files.length === 0 ? (
        <p className="muted">{t('evidence.none')}</p>
      ) : (
        <ul className="evidence-files">
          {props.files.map((f) => (
            <li key={f.id}>
              <a href={`/evidence/${f.id}`} target="_blank" rel="noreferrer">
                {f.file_name}
              </a>{' '}
              <span className="muted">({Math.ceil(f.size_bytes / 1024)} KB)</span>
              {props.editable ? (
                <span className="evidence-actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void remove(f)}
                    aria-label={t('evidence.removeNamed', { name: f.file_name })}
                  >
                    {t('evidence.remove')}
                  </button>
                  {picker(
                    f,
                    t('evidence.replaceNamed', { name: f.file_name }),
                    `${inputId}-replace-${f.id}`,
                    t('evidence.replace'),
                  )}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.editable
        ? picker(
            null,
            t('evidence.chooseFile', { question: props.questionTitle }),
            inputId,
            t('evidence.upload'),
          )
        : null}
      {status ? (
        <p
          className={`evidence-status evidence-status-${status.kind}`}
          role={status.kind === 'refused' ? 'alert' : 'status'}
        >
          {t(`evidence.status.${status.kind}`, {
            name: status.name,
            message: status.kind === 'refused' ? status.message : '',
          })}
        </p>
      ) : null}
    </div>
  )
}
