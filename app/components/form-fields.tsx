import { useTranslation } from 'react-i18next'

/**
 * A labelled select and a labelled multi-line field, with their errors tied
 * to them (`aria-invalid`, `aria-describedby`) as `TextField` does for an
 * input: the planner's, the roadmap's and the support curve's GET forms.
 * Ids are `f-<name>`; errors are the field's messages, joined.
 */
export function SelectField({
  name,
  label,
  value,
  options,
  errors,
}: {
  name: string
  label: string
  value: string
  options: ReadonlyArray<{ value: string; label: string }>
  errors?: readonly string[] | undefined
}) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select
        id={`f-${name}`}
        name={name}
        defaultValue={value}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `f-${name}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors name={name} errors={errors} />
    </div>
  )
}

/**
 * The planner's minimum level (its default R2 as WaveParamsSchema has it),
 * shared by the planner, the roadmap and the support curve.
 */
export function MinLevelField({
  levels,
  value,
  errors,
}: {
  levels: ReadonlyArray<{ id: string; title: string }>
  value: string | undefined
  errors?: readonly string[] | undefined
}) {
  const { t } = useTranslation('waves')
  return (
    <SelectField
      name="minLevel"
      label={t('form.minLevel')}
      value={value ?? 'R2'}
      options={levels.map((l) => ({ value: l.id, label: `${l.id} · ${l.title}` }))}
      errors={errors}
    />
  )
}

/** Several "key=value" lines (per-facility costs, per-province quotas). */
export function LinesField({
  name,
  label,
  value,
  errors,
}: {
  name: string
  label: string
  value: string
  errors?: readonly string[] | undefined
}) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <textarea
        id={`f-${name}`}
        name={name}
        rows={3}
        defaultValue={value}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `f-${name}-error` : undefined}
      />
      <FieldErrors name={name} errors={errors} />
    </div>
  )
}

function FieldErrors({ name, errors }: { name: string; errors?: readonly string[] | undefined }) {
  return errors ? (
    <p id={`f-${name}-error`} className="field-error">
      {errors.join('; ')}
    </p>
  ) : null
}
