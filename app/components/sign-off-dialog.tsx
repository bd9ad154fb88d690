/**
 * The director's confirmation before submitting: the score the server will
 * record (from GET /assessment/preview, never computed here), and the
 * password asked again as an e-signature. The dialog is a native <dialog>
 * opened modally, so focus stays inside it and Escape closes it.
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNumberFormat } from '../utils/number-format.ts'

export interface SubmitPreview {
  version: number
  compositeBp: number
  composite: number
  level: string
  levelTitle: { vi: string; en: string }
  modelVersion: string
}

export function SignOffDialog(props: {
  preview: SubmitPreview
  locale: 'vi' | 'en'
  busy: boolean
  error: string | null
  onConfirm: (password: string) => void
  onCancel: () => void
}) {
  const { t } = useTranslation('assessment')
  const { num } = useNumberFormat()
  const ref = useRef<HTMLDialogElement>(null)
  const [password, setPassword] = useState('')
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      className="sign-off"
      aria-labelledby="sign-off-title"
      onCancel={(event) => {
        event.preventDefault()
        props.onCancel()
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault()
          if (password.length > 0) props.onConfirm(password)
        }}
      >
        <h2 id="sign-off-title">{t('signOff.title')}</h2>
        <p>{t('signOff.intro')}</p>
        <dl className="sign-off-score">
          <dt>{t('signOff.composite')}</dt>
          <dd data-testid="sign-off-composite">{num(props.preview.composite, 1)}</dd>
          <dt>{t('signOff.level')}</dt>
          <dd data-testid="sign-off-level">
            {props.preview.level} — {props.preview.levelTitle[props.locale]}
          </dd>
          <dt>{t('signOff.version')}</dt>
          <dd>{props.preview.version}</dd>
          <dt>{t('signOff.model')}</dt>
          <dd>{props.preview.modelVersion}</dd>
        </dl>
        <p>{t('signOff.declaration')}</p>
        <label htmlFor="sign-off-password">{t('signOff.password')}</label>
        <input
          id="sign-off-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          aria-describedby={props.error ? 'sign-off-error' : undefined}
        />
        {props.error ? (
          <p id="sign-off-error" className="form-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="submit" disabled={props.busy || password.length === 0}>
            {props.busy ? t('submitting') : t('signOff.confirm')}
          </button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t('signOff.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
