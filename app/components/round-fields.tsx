/** The fields of an assessment round (create and edit). */
import { useTranslation } from 'react-i18next'
import { TextField } from './text-field.tsx'

export interface RoundFieldValues {
  name: string
  opensOn: string
  closesOn: string
  questionnaireId: string
  scoringModelId: string
  /** Gate id → '' (as the model), 'on' or 'off'. */
  gates: Record<string, string>
}

export interface RoundFormOptions {
  questionnaires: Array<{ id: number; version: string }>
  models: Array<{ id: number; model_id: string; version: string }>
  gates: Array<{ id: string; title: string; versions: string[]; on: boolean }>
}

export function RoundFields({
  values,
  options,
  errors,
  locked,
}: {
  values: RoundFieldValues | null
  options: RoundFormOptions
  errors: Record<string, string>
  /** Questionnaire, model and gates cannot change (the round has submissions). */
  locked: boolean
}) {
  const { t } = useTranslation('rounds')
  const error = (field: string) => (errors[field] ? t(`errors.${errors[field]}`) : null)
  const selectError = (id: string) =>
    error(id) ? (
      <p id={`${id}-error`} className="field-error">
        {error(id)}
      </p>
    ) : null
  const aria = (id: string) => ({
    'aria-invalid': error(id) ? true : undefined,
    'aria-describedby': error(id) ? `${id}-error` : undefined,
  })
  return (
    <>
      <TextField
        id="name"
        name="name"
        label={t('form.name')}
        defaultValue={values?.name ?? ''}
        required
        maxLength={100}
        error={error('name')}
      />
      <div className="grid">
        <TextField
          id="opensOn"
          name="opensOn"
          type="date"
          label={t('form.opensOn')}
          defaultValue={values?.opensOn ?? ''}
          required
          error={error('opensOn')}
        />
        <TextField
          id="closesOn"
          name="closesOn"
          type="date"
          label={t('form.closesOn')}
          defaultValue={values?.closesOn ?? ''}
          required
          error={error('closesOn')}
        />
      </div>
      <p className="muted">{t('form.datesHint')}</p>
      {locked ? (
        <p className="notice" data-testid="round-locked">
          {t('form.lockedNote')}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="questionnaireId">{t('form.questionnaire')}</label>
        <select
          id="questionnaireId"
          name="questionnaireId"
          defaultValue={values?.questionnaireId ?? ''}
          {...aria('questionnaireId')}
        >
          <option value="">{t('form.choose')}</option>
          {options.questionnaires.map((q) => (
            <option key={q.id} value={q.id}>
              {q.version}
            </option>
          ))}
        </select>
        {selectError('questionnaireId')}
      </div>
      <div className="field">
        <label htmlFor="scoringModelId">{t('form.model')}</label>
        <select
          id="scoringModelId"
          name="scoringModelId"
          defaultValue={values?.scoringModelId ?? ''}
          {...aria('scoringModelId')}
        >
          <option value="">{t('form.choose')}</option>
          {options.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.model_id} {m.version}
            </option>
          ))}
        </select>
        {selectError('scoringModelId')}
      </div>
      <fieldset aria-describedby={error('gates') ? 'gates-error' : undefined}>
        <legend>{t('form.gatesTitle')}</legend>
        <p className="muted">{t('form.gatesHint')}</p>
        {selectError('gates')}
        {/* A gate the form does not offer (no stored model lets a round switch it). */}
        {Object.keys(errors)
          .filter((k) => k.startsWith('gate.') && !options.gates.some((g) => `gate.${g.id}` === k))
          .map((k) => (
            <p key={k} className="field-error">
              {k.slice(5)}: {error(k)}
            </p>
          ))}
        {options.gates.map((g) => {
          const id = `gate.${g.id}`
          return (
            <div className="field" key={g.id}>
              <label htmlFor={id}>
                {g.id} · {g.title}{' '}
                <span className="muted">
                  ({t('form.gateIn', { versions: g.versions.join(', ') })})
                </span>
              </label>
              <select id={id} name={id} defaultValue={values?.gates[g.id] ?? ''} {...aria(id)}>
                <option value="">
                  {t('form.gateModel', { state: g.on ? t('form.on') : t('form.off') })}
                </option>
                <option value="on">{t('form.gateOn')}</option>
                <option value="off">{t('form.gateOff')}</option>
              </select>
              {selectError(id)}
            </div>
          )
        })}
      </fieldset>
    </>
  )
}
