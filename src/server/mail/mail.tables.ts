import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Development outbox: mail kept here when no SMTP server is configured. */
export const mailOutbox = pgTable('mail_outbox', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
