/** A local SMTP server (smtp-server) on an ephemeral port that keeps every message it receives. */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface SmtpSink {
  url: string
  messages: Array<{ to: string[]; raw: string }>
  /** Resolves with the next message (or one already received beyond `seen`). */
  next(seen: number): Promise<{ to: string[]; raw: string }>
  close(): Promise<void>
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = []
  const waiters: Array<() => void> = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        for (const w of waiters.splice(0)) w()
        callback()
      })
    },
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async next(seen) {
      while (messages.length <= seen) await new Promise<void>((r) => waiters.push(r))
      const message = messages[seen]
      if (!message) throw new Error('unreachable')
      return message
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
