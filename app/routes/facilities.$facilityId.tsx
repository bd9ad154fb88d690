import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getFacilityDetails } from '../models/facility.server.ts'
import { notFound, requireFacilityAccess, requireUser } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'

const ParamsSchema = z.object({ facilityId: z.coerce.number().int().positive() })

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request)
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  await requireFacilityAccess(request, parsed.data.facilityId)
  const facility = await getFacilityDetails(getDb(), parsed.data.facilityId)
  if (!facility) throw notFound()
  return { facility }
}

export default function FacilityPage() {
  const { facility } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <>
      <h1>{facility.name}</h1>
      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('facility.details')}</h2>
        <dl className="facts">
          <dt>{t('facility.code')}</dt>
          <dd>{facility.code}</dd>
          <dt>{t('facility.province')}</dt>
          <dd>{i18n.language === 'en' ? facility.province_name_en : facility.province_name}</dd>
          <dt>{t('facility.tier')}</dt>
          <dd>{t(`tiers.${facility.tier}`)}</dd>
          <dt>{t('facility.ownership')}</dt>
          <dd>{t(`ownership.${facility.ownership}`)}</dd>
          <dt>{t('facility.beds')}</dt>
          <dd>{facility.beds}</dd>
          <dt>{t('facility.autonomyGroup')}</dt>
          <dd>{facility.autonomy_group ?? t('facility.autonomyNone')}</dd>
          <dt>{t('facility.emrStatus')}</dt>
          <dd>{t(`emrStatus.${facility.emr_status}`)}</dd>
        </dl>
        <p>
          <Link to={`/facilities/${facility.id}/report`}>{t('facility.printReport')}</Link>
        </p>
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.facility.name ?? ''} · Sẵn Sàng` },
]
