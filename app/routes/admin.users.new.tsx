import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { linkOrigin } from '../account/links.server.ts'
import { getI18n, type RouteI18n } from '../i18n.ts'
import { allProvinces, formValues, parseNewUser, readForm } from '../admin/form.server.ts'
import { createUser } from '../admin/users.server.ts'
import { LinkHandoutView, UserFields } from '../components/user-fields.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'users:manage')
  return { provinces: await allProvinces(getDb()) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'users:manage')
  const form = await readForm(request)
  if (!form)
    return data({ errors: { form: 'badRequest' }, values: null, created: null }, { status: 400 })
  const values = formValues(form)
  const parsed = parseNewUser(form)
  if (!parsed.ok) return data({ errors: parsed.errors, values, created: null }, { status: 400 })
  const result = await createUser(getDb(), actor.id, parsed.data, {
    origin: linkOrigin(request),
    meta: { clientIp: context.clientIp, requestId: context.requestId },
    email: (lang) => getI18n(lang).t,
  })
  if (result.kind === 'invalid')
    return data({ errors: result.errors, values, created: null }, { status: 400 })
  return data(
    {
      errors: {} as Record<string, string>,
      values: null,
      created: { userId: result.userId, login: parsed.data.login, handout: result.handout },
    },
    { status: 201 },
  )
}

export const handle: RouteI18n = { i18n: ['account', 'admin'] }

export default function NewUserPage() {
  const { provinces } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('admin')
  const { dateTime } = useDateFormat()
  const created = actionData?.created
  return (
    <>
      <p>
        <Link to="/admin/users">{t('list.back')}</Link>
      </p>
      <h1>{t('new.title')}</h1>
      {created ? (
        <section className="card" aria-labelledby="created-title">
          <h2 id="created-title">{t('new.created', { login: created.login })}</h2>
          {created.handout ? (
            <LinkHandoutView
              url={created.handout.link.url}
              expiresAt={created.handout.link.expiresAt}
              expiresLabel={dateTime(created.handout.link.expiresAt)}
              email={created.handout.email}
            />
          ) : null}
          <p>
            <Link to={`/admin/users/${created.userId}`}>{t('new.open')}</Link>
          </p>
        </section>
      ) : null}
      <section className="card form" aria-labelledby="new-title">
        <h2 id="new-title">{created ? t('new.another') : t('new.title')}</h2>
        {actionData?.errors.form ? (
          <p className="form-error" role="alert">
            {t(`errors.${actionData.errors.form}`)}
          </p>
        ) : null}
        <Form method="post" noValidate key={created?.userId ?? 'form'}>
          <UserFields
            values={actionData?.values ?? null}
            provinces={provinces}
            errors={actionData?.errors ?? {}}
            withLogin
          />
          <button type="submit" disabled={navigation.state === 'submitting'}>
            {t('new.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'admin:new.title')
