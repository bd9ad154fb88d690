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

/**
 * The planner's round (blank: the current one) and basis, as the planner, the
 * roadmap and the support curve ask them.
 */
export function RoundAndBasisFields({
  rounds,
  values,
  errors,
}: {
  rounds: ReadonlyArray<{ id: number; name: string }>
  values: Record<string, string | undefined>
  errors: Record<string, string[] | undefined>
}) {
  const { t } = useTranslation('waves')
  return (
    <>
      <SelectField
        name="round"
        label={t('form.round')}
        value={values.round ?? ''}
        options={[
          { value: '', label: t('form.currentRound') },
          ...rounds.map((r) => ({ value: String(r.id), label: r.name })),
        ]}
        errors={errors.round}
      />
      <SelectField
        name="basis"
        label={t('form.basis')}
        value={values.basis ?? 'declared'}
        options={[
          { value: 'declared', label: t('form.declared') },
          { value: 'verified', label: t('form.verified') },
        ]}
        errors={errors.basis}
      />
    </>
  )
}

/**
 * Every refused field above the form, each a link to its field (`#f-<name>`)
 * with its label (`label(name)`, the name itself when it has none) and messages.
 */
export function FieldErrorSummary({
  errors,
  label,
}: {
  errors: Record<string, string[] | undefined>
  label: (name: string) => string
}) {
  const { t } = useTranslation('waves')
  const names = Object.keys(errors).filter((k) => errors[k])
  if (names.length === 0) return null
  return (
    <section className="form-error" role="alert">
      <h2>{t('errors.title')}</h2>
      <ul>
        {names.map((name) => (
          <li key={name}>
            <a href={`#f-${name}`}>
              {label(name)} ({name})
            </a>
            : {errors[name]?.join('; ')}
          </li>
        ))}
      </ul>
    </section>
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
