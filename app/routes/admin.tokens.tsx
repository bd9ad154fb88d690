import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { API_SCOPES } from '../../db/schema.ts'
import { readForm } from '../admin/form.server.ts'
import {
  getTokenPage,
  issueApiToken,
  parseTokenForm,
  RevokeFormSchema,
  revokeToken,
  tokenFormValues,
} from '../api/tokens.server.ts'
import { TextField } from '../components/text-field.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'tokens:manage')
  return getTokenPage(getDb())
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'tokens:manage')
  const form = await readForm(request)
  const meta = { clientIp: context.clientIp, requestId: context.requestId }
  if (!form)
    return data({ kind: 'error', errors: { form: 'badRequest' } } as const, { status: 400 })
  const intent = form.get('intent')
  if (intent === 'revoke') {
    const parsed = RevokeFormSchema.safeParse({ tokenId: form.get('tokenId') })
    if (!parsed.success)
      return data({ kind: 'error', errors: { form: 'badRequest' } } as const, { status: 400 })
    const result = await revokeToken(getDb(), actor, parsed.data.tokenId, meta)
    switch (result.kind) {
      case 'revoked':
        return { kind: 'revoked' } as const
      case 'not_found':
        return data({ kind: 'error', errors: { form: 'notFound' } } as const, { status: 404 })
    }
  }
  if (intent !== 'create')
    return data({ kind: 'error', errors: { form: 'badRequest' } } as const, { status: 400 })
  const values = tokenFormValues(form)
  const parsed = parseTokenForm(form)
  if (!parsed.ok)
    return data({ kind: 'invalid', errors: parsed.errors, values } as const, { status: 400 })
  const result = await issueApiToken(getDb(), actor, parsed.data, meta)
  switch (result.kind) {
    case 'issued':
      // Shown once: the page never reads it again, only its hash is stored.
      return { kind: 'issued', token: result.token, name: parsed.data.name } as const
    case 'invalid':
      return data({ kind: 'invalid', errors: result.errors, values } as const, { status: 400 })
  }
}

export const handle: RouteI18n = { i18n: ['api'] }

export default function TokensPage() {
  const { tokens, provinces, firstExpiry, lastExpiry } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('api')
  const { date, dateTime } = useDateFormat()
  const errors: Record<string, string> =
    actionData && 'errors' in actionData ? actionData.errors : {}
  const values = actionData?.kind === 'invalid' ? actionData.values : null
  const error = (key: string) => (errors[key] ? t(`tokens.errors.${errors[key]}`) : null)
  const now = new Date().toISOString()
  return (
    <>
      <h1>{t('tokens.title')}</h1>
      <p>{t('tokens.intro')}</p>
      {actionData?.kind === 'issued' ? (
        <section className="card" role="status" aria-labelledby="issued-heading">
          <h2 id="issued-heading">{t('tokens.issuedTitle', { name: actionData.name })}</h2>
          <p>{t('tokens.issuedOnce')}</p>
          <p>
            <code data-testid="issued-token">{actionData.token}</code>
          </p>
        </section>
      ) : null}
      {actionData?.kind === 'revoked' ? <p role="status">{t('tokens.revokedDone')}</p> : null}
      {errors.form ? (
        <p className="form-error" role="alert">
          {t(`tokens.errors.${errors.form}`)}
        </p>
      ) : null}
      <section className="card form" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">{t('tokens.newTitle')}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <TextField
            id="token-name"
            name="name"
            label={t('tokens.name')}
            defaultValue={values?.name ?? ''}
            maxLength={100}
            required
            error={error('name')}
          />
          <fieldset aria-describedby={errors.scopes ? 'scopes-error' : undefined}>
            <legend>{t('tokens.scopes')}</legend>
            {API_SCOPES.map((scope) => (
              <div key={scope}>
                <input
                  type="checkbox"
                  id={`scope-${scope}`}
                  name="scopes"
                  value={scope}
                  defaultChecked={values?.scopes.includes(scope) ?? false}
                />
                <label htmlFor={`scope-${scope}`}>
                  <code>{scope}</code> — {t(`tokens.scopeNames.${scope}`)}
                </label>
              </div>
            ))}
            {errors.scopes ? (
              <p id="scopes-error" className="field-error">
                {error('scopes')}
              </p>
            ) : null}
          </fieldset>
          <div className="field">
            <label htmlFor="token-province">{t('tokens.province')}</label>
            <select
              id="token-province"
              name="provinceCode"
              defaultValue={values?.provinceCode ?? ''}
              aria-invalid={errors.provinceCode ? true : undefined}
              aria-describedby={errors.provinceCode ? 'token-province-error' : undefined}
            >
              <option value="">{t('tokens.national')}</option>
              {provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.code} · {p.name}
                </option>
              ))}
            </select>
            {errors.provinceCode ? (
              <p id="token-province-error" className="field-error">
                {error('provinceCode')}
              </p>
            ) : null}
          </div>
          <TextField
            id="token-expires"
            name="expiresOn"
            type="date"
            label={t('tokens.expiresOn', { last: date(lastExpiry) })}
            min={firstExpiry}
            max={lastExpiry}
            defaultValue={values?.expiresOn ?? ''}
            required
            error={error('expiresOn')}
          />
          <button type="submit" disabled={navigation.state === 'submitting'}>
            {t('tokens.create')}
          </button>
        </Form>
      </section>
      <h2>{t('tokens.listTitle')}</h2>
      {tokens.length === 0 ? (
        <p>{t('tokens.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.scopes')}</th>
                <th scope="col">{t('tokens.province')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.state')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{token.scopes.join(', ')}</td>
                  <td>{token.province_code ?? t('tokens.national')}</td>
                  <td>
                    {dateTime(token.created_at)} · {token.created_by_name}
                  </td>
                  <td>{dateTime(token.expires_at)}</td>
                  <td>{token.last_used_at ? dateTime(token.last_used_at) : t('tokens.never')}</td>
                  <td>
                    {token.revoked_at ? (
                      t('tokens.revokedAt', { at: dateTime(token.revoked_at) })
                    ) : token.expires_at <= now ? (
                      t('tokens.expired')
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={token.id} />
                        <button
                          type="submit"
                          aria-label={t('tokens.revokeNamed', { name: token.name })}
                        >
                          {t('tokens.revoke')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.apiTokens')
