import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import {
  allProvinces,
  formValues,
  parseUserFields,
  readForm,
  UserIdParamsSchema,
} from '../admin/form.server.ts'
import { editUser } from '../admin/users.server.ts'
import { UserFields } from '../components/user-fields.tsx'
import { getUserDetails } from '../models/user.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const VersionSchema = z.coerce.number().int().min(1)

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'users:manage')
  const id = UserIdParamsSchema.safeParse(params)
  if (!id.success) throw notFound()
  const db = getDb()
  const [user, provinces] = await Promise.all([
    getUserDetails(db, id.data.userId),
    allProvinces(db),
  ])
  if (!user) throw notFound()
  return {
    provinces,
    user: {
      id: user.id,
      login: user.login,
      version: user.version,
      displayName: user.display_name,
      role: user.role,
      facilityCode: user.facility_code,
      provinceCode: user.province_code,
      email: user.email,
      phone: user.phone,
    },
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, 'users:manage')
  const id = UserIdParamsSchema.safeParse(params)
  if (!id.success) throw notFound()
  const form = await readForm(request)
  const version = VersionSchema.safeParse(form?.get('version'))
  if (!form || !version.success)
    return data(
      { errors: { form: 'badRequest' } as Record<string, string>, values: null },
      { status: 400 },
    )
  const values = formValues(form)
  const parsed = parseUserFields(form)
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 })
  const result = await editUser(getDb(), actor, id.data.userId, version.data, parsed.data, {
    clientIp: context.clientIp,
    requestId: context.requestId,
  })
  switch (result.kind) {
    case 'updated':
      throw redirect(`/admin/users/${id.data.userId}`)
    case 'not_found':
      throw notFound()
    case 'invalid':
      return data({ errors: result.errors, values }, { status: 400 })
    case 'conflict':
      return data(
        { errors: { form: 'conflict' } as Record<string, string>, values },
        { status: 409 },
      )
    case 'refused':
      return data(
        { errors: { form: result.reason } as Record<string, string>, values },
        { status: 409 },
      )
  }
}

export const handle: RouteI18n = { i18n: ['account', 'admin'] }

export default function EditUserPage() {
  const { user, provinces } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t } = useTranslation('admin')
  return (
    <>
      <p>
        <Link to={`/admin/users/${user.id}`}>{t('edit.back')}</Link>
      </p>
      <h1>{t('edit.title', { login: user.login })}</h1>
      <section className="card form">
        {actionData?.errors.form ? (
          <p className="form-error" role="alert">
            {t(`errors.${actionData.errors.form}`)}
          </p>
        ) : null}
        <Form method="post" noValidate>
          <input type="hidden" name="version" value={user.version} />
          <UserFields
            values={actionData?.values ?? user}
            provinces={provinces}
            errors={actionData?.errors ?? {}}
            withLogin={false}
          />
          <button type="submit" disabled={navigation.state === 'submitting'}>
            {t('edit.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.editUser')
