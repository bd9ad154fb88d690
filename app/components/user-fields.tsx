/** The fields of an account (create and edit), with what each role's scope is. */
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '../../db/schema.ts'
import { TextField } from './text-field.tsx'

export interface UserFieldValues {
  login?: string
  displayName: string
  role: Role | string
  facilityCode: string | null
  provinceCode: string | null
  email: string | null
  phone: string | null
}

export function UserFields({
  values,
  provinces,
  errors,
  withLogin,
}: {
  values: UserFieldValues | null
  provinces: Array<{ code: string; name: string }>
  errors: Record<string, string>
  withLogin: boolean
}) {
  const { t } = useTranslation('admin')
  const { t: tc } = useTranslation()
  const error = (field: string) => (errors[field] ? t(`errors.${errors[field]}`) : null)
  return (
    <>
      {withLogin ? (
        <TextField
          id="login"
          name="login"
          label={t('fields.login')}
          defaultValue={values?.login ?? ''}
          autoCapitalize="none"
          autoComplete="off"
          required
          error={error('login')}
        />
      ) : null}
      {withLogin ? <p className="muted">{t('fields.loginRule')}</p> : null}
      <TextField
        id="displayName"
        name="displayName"
        label={t('fields.displayName')}
        defaultValue={values?.displayName ?? ''}
        required
        error={error('displayName')}
      />
      <div className="field">
        <label htmlFor="role">{t('fields.role')}</label>
        <select id="role" name="role" defaultValue={values?.role ?? 'director'}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tc(`roles.${r}`)}
            </option>
          ))}
        </select>
        {error('role') ? <p className="field-error">{error('role')}</p> : null}
      </div>
      <p className="muted">{t('fields.scopeRule')}</p>
      <TextField
        id="facilityCode"
        name="facilityCode"
        label={t('fields.facilityCode')}
        defaultValue={values?.facilityCode ?? ''}
        autoComplete="off"
        error={error('facilityCode')}
      />
      <div className="field">
        <label htmlFor="provinceCode">{t('fields.province')}</label>
        <select id="provinceCode" name="provinceCode" defaultValue={values?.provinceCode ?? ''}>
          <option value="">{t('fields.noProvince')}</option>
          {provinces.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name} ({p.code})
            </option>
          ))}
        </select>
        {error('provinceCode') ? <p className="field-error">{error('provinceCode')}</p> : null}
      </div>
      <TextField
        id="email"
        name="email"
        type="email"
        label={t('fields.email')}
        defaultValue={values?.email ?? ''}
        autoComplete="off"
        error={error('email')}
      />
      <TextField
        id="phone"
        name="phone"
        type="tel"
        label={t('fields.phone')}
        defaultValue={values?.phone ?? ''}
        autoComplete="off"
        error={error('phone')}
      />
    </>
  )
}

/** A one-time link to copy, with whether it was emailed. */
export function LinkHandoutView({
  url,
  expiresAt,
  email,
  expiresLabel,
}: {
  url: string
  expiresAt: string
  email: { sent: true } | { sent: false; error: string } | null
  expiresLabel: string
}) {
  const { t } = useTranslation('admin')
  return (
    <div className="notice" role="status" data-testid="one-time-link" data-expires={expiresAt}>
      <p>{t('link.copy', { expires: expiresLabel })}</p>
      <p>
        <input
          aria-label={t('link.label')}
          readOnly
          value={url}
          className="link-output"
          onFocus={(e) => e.currentTarget.select()}
        />
      </p>
      {email ? (
        <p>{email.sent ? t('link.emailed') : t('link.emailFailed', { error: email.error })}</p>
      ) : null}
    </div>
  )
}
