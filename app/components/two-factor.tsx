/** The pieces of enrolling a second factor: the QR code with its secret, and recovery codes. */
import { useTranslation } from 'react-i18next'

export interface EnrolmentProps {
  qrDataUrl: string
  secretGroups: string
}

/** QR code (rendered on the server as a PNG data URL) and the same secret to type by hand. */
export function TotpEnrolment({ qrDataUrl, secretGroups }: EnrolmentProps) {
  const { t } = useTranslation('account')
  return (
    <div className="totp-enrolment">
      <ol>
        <li>{t('enrol.step1')}</li>
        <li>{t('enrol.step2')}</li>
        <li>{t('enrol.step3')}</li>
      </ol>
      <img src={qrDataUrl} width={232} height={232} alt={t('enrol.qrAlt')} />
      <p>
        {t('enrol.manual')}{' '}
        <code data-testid="totp-secret" className="secret">
          {secretGroups}
        </code>
      </p>
    </div>
  )
}

/** Ten codes, shown once: the page says so, and offers them as a text file to keep. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation('account')
  const file = `data:text/plain;charset=utf-8,${encodeURIComponent(`${codes.join('\n')}\n`)}`
  return (
    <section className="notice" aria-labelledby="recovery-title">
      <h2 id="recovery-title">{t('recovery.title')}</h2>
      <p>{t('recovery.intro')}</p>
      <ul className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href={file} download="sansang-recovery-codes.txt">
          {t('recovery.download')}
        </a>
      </p>
    </section>
  )
}
