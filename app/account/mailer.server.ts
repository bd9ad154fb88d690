/**
 * Email through nodemailer when SMTP_URL is set (otherwise links are only
 * shown to the administrator, who copies them). One transport per process.
 * A link email is written in Vietnamese, then English: the recipient's
 * language is not known before they sign in.
 */
import type { Transporter } from 'nodemailer'
import type { AccountTokenKind } from '../../db/schema.ts'
import type { TFunction } from 'i18next'
import { formatDateTime } from '../utils/date-format.ts'
import { getEnv } from '../utils/env.server.ts'

let transport: Promise<Transporter> | undefined

/** Loaded on the first email: most servers send none, and it would lengthen every start. */
function getTransport(url: string): Promise<Transporter> {
  transport ??= import('nodemailer').then((m) => m.default.createTransport(url))
  return transport
}

export interface LinkEmail {
  to: string
  displayName: string
  login: string
  kind: AccountTokenKind
  url: string
  expiresAt: string
}

export type EmailResult = { sent: true } | { sent: false; error: string }

/**
 * The translations of each language, passed in by the caller (routes pass
 * the app's i18n): this module stays loadable outside the Vite build.
 */
export type Translations = (lang: 'vi' | 'en') => TFunction

/** The text of a link email, both languages. */
export function linkEmailText(
  mail: LinkEmail,
  translations: Translations,
): { subject: string; text: string } {
  const parts = (['vi', 'en'] as const).map((lang) => {
    const t = translations(lang)
    const vars = {
      name: mail.displayName,
      login: mail.login,
      url: mail.url,
      expires: formatDateTime(mail.expiresAt, lang),
    }
    return {
      subject: t(`account:email.${mail.kind}Subject`, vars),
      body: t(`account:email.${mail.kind}Body`, vars),
    }
  })
  return {
    subject: parts.map((p) => p.subject).join(' / '),
    text: parts.map((p) => p.body).join('\n\n———\n\n'),
  }
}

/** Sends one link; a failure is returned (and shown), never thrown. */
export async function sendLinkEmail(
  mail: LinkEmail,
  translations: Translations,
): Promise<EmailResult> {
  const env = getEnv()
  if (!env.SMTP_URL || !env.SMTP_FROM) return { sent: false, error: 'SMTP_URL is not set' }
  const { subject, text } = linkEmailText(mail, translations)
  try {
    await (
      await getTransport(env.SMTP_URL)
    ).sendMail({ from: env.SMTP_FROM, to: mail.to, subject, text })
    return { sent: true }
  } catch (error) {
    return { sent: false, error: error instanceof Error ? error.message : String(error) }
  }
}
