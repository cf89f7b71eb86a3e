import { monitorEventLoopDelay } from 'node:perf_hooks';
import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from './http/errors.js';
import type { App, Deps } from './http/types.js';
import { mailOutbox } from './mail/mail.tables.js';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Health, the OpenAPI document and the development outbox. */
export async function systemRoutes(app: App, { db, config }: Deps): Promise<void> {
  // How long requests waited for the event loop (embedded PGlite runs queries on it): since the
  // previous health check.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  app.addHook('onClose', async () => loop.disable());
  const eventLoop = z.object({ p99Ms: z.number(), maxMs: z.number() });
  app.get('/api/health', {
    config: { public: true },
    schema: { tags: ['system'], summary: 'Database reachability and event-loop delay since the previous check', response: { 200: z.object({ status: z.literal('ok'), eventLoop }), 503: z.object({ status: z.literal('unavailable') }) } },
    handler: async (_request, reply) => {
      try {
        await db.execute(sql`select 1`);
        const delay = { p99Ms: Math.round(loop.percentile(99) / 1e4) / 100, maxMs: Math.round(loop.max / 1e4) / 100 };
        loop.reset();
        return { status: 'ok' as const, eventLoop: delay };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const });
      }
    },
  });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true }, handler: async () => app.swagger() });

  if (!config.devOutbox) return;
  // Mail kept when no SMTP server is set. It holds reset and invitation links, so only a signed-in
  // platform operator reads it, whoever and wherever the request comes from.
  const readOutbox = async (request: { actor: { isOperator: boolean } | null }) => {
    if (!request.actor) throw new AppError('unauthenticated', 'Sign in as a platform operator to read the outbox.');
    if (!request.actor.isOperator) throw new AppError('forbidden', 'Only a platform operator can read the outbox.');
    return db.select().from(mailOutbox).orderBy(desc(mailOutbox.id)).limit(50);
  };
  app.get('/dev/outbox.json', {
    config: { public: true },
    schema: { hide: true },
    handler: async (request) => (await readOutbox(request)).map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  });
  app.get('/dev/outbox', {
    config: { public: true },
    schema: { hide: true },
    handler: async (request, reply) => {
      const mails = await readOutbox(request);
      const items = mails
        .map((m) => `<article><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to)} · ${m.createdAt.toISOString()}</p><pre>${escapeHtml(m.text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')}</pre></article>`)
        .join('\n');
      return reply
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development outbox · Schoolwell</title></head><body><main><h1>Development outbox</h1><p>Mail the server would have sent. Set SMTP_URL to send real mail.</p>${items || '<p>No mail yet.</p>'}</main></body></html>`);
    },
  });
}
