import nodemailer from 'nodemailer';
import type { Db } from '../db/client.js';
import { mailOutbox } from './mail.tables.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Sends through SMTP when `smtpUrl` is set; otherwise keeps mail in the dev outbox table, which
 * an operator reads at /dev/outbox.
 */
export function createMailer(opts: { db: Db; smtpUrl?: string; from: string; onError?: (err: unknown, mail: Mail) => void }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    // Handed to the mail server without waiting, so no request's timing depends on delivery
    // (a reset request for a known address answers as fast as for an unknown one).
    return {
      send: async (m) => {
        transport.sendMail({ from: opts.from, ...m }).catch((err: unknown) => opts.onError?.(err, m));
      },
    };
  }
  return { send: async (m) => void (await opts.db.insert(mailOutbox).values(m)) };
}
