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
export function createMailer(opts: { db: Db; smtpUrl?: string; from: string }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return { send: async (m) => void (await transport.sendMail({ from: opts.from, ...m })) };
  }
  return { send: async (m) => void (await opts.db.insert(mailOutbox).values(m)) };
}
