/**
 * A labelled input with its error message tied to it (`aria-invalid`,
 * `aria-describedby`), so screen readers announce the error with the field.
 */
import type { InputHTMLAttributes } from 'react'

export function TextField({
  id,
  label,
  error,
  ...input
}: { id: string; label: string; error?: string | null } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'aria-invalid' | 'aria-describedby'
>) {
  const errorId = `${id}-error`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
