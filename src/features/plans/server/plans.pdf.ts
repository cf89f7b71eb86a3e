import PDFDocument from 'pdfkit';
import type { Actor } from '../../../server/authz/scope.js';
import type { Db } from '../../../server/db/client.js';
import { getFramework } from '../../frameworks/server/frameworks.service.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { GoalView } from '../plans.contract.js';
import type { ActionStatus } from '../plans.model.js';
import { getPlan } from './plans.service.js';

/** The words of the PDF, in the reader's language. */
const words = {
  en: {
    period: 'Period', goals: 'goals', actions: 'actions', target: 'Target', baseline: 'Starting point', latest: 'Latest result', by: 'by', action: 'Action', owner: 'Owner', dates: 'Dates', status: 'Status', priority: 'Priority', other: 'Other goals', noActions: 'No actions yet.',
    statuses: { not_started: 'Not started', in_progress: 'In progress', done: 'Done', blocked: 'Blocked', cancelled: 'Cancelled' },
    checks: { unmeasured: 'No target set', waiting: 'Waiting for new results', met: 'Target met', improving: 'Improving', not_improving: 'Not improving yet', missed: 'Target date passed' },
  },
  fr: {
    period: 'Période', goals: 'objectifs', actions: 'actions', target: 'Cible', baseline: 'Point de départ', latest: 'Dernier résultat', by: "d'ici le", action: 'Action', owner: 'Responsable', dates: 'Dates', status: 'État', priority: 'Priorité', other: 'Autres objectifs', noActions: "Pas encore d'action.",
    statuses: { not_started: 'Pas commencée', in_progress: 'En cours', done: 'Terminée', blocked: 'Bloquée', cancelled: 'Annulée' },
    checks: { unmeasured: 'Sans cible chiffrée', waiting: 'En attente de nouveaux résultats', met: 'Cible atteinte', improving: 'En progrès', not_improving: 'Pas encore de progrès', missed: 'Échéance passée' },
  },
  es: {
    period: 'Período', goals: 'metas', actions: 'acciones', target: 'Meta', baseline: 'Punto de partida', latest: 'Último resultado', by: 'para el', action: 'Acción', owner: 'Responsable', dates: 'Fechas', status: 'Estado', priority: 'Prioridad', other: 'Otras metas', noActions: 'Aún no hay acciones.',
    statuses: { not_started: 'Sin empezar', in_progress: 'En curso', done: 'Hecha', blocked: 'Bloqueada', cancelled: 'Cancelada' },
    checks: { unmeasured: 'Sin meta numérica', waiting: 'Esperando nuevos resultados', met: 'Meta alcanzada', improving: 'Mejorando', not_improving: 'Aún sin mejora', missed: 'Fecha vencida' },
  },
} as const;

const fmt = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * A plan as a PDF for a board meeting: goals grouped by the framework's elements in its order,
 * each with its target and latest result, and a table of actions (owner, dates, status, priority).
 * @throws AppError not_found | forbidden
 */
export async function planPdf(db: Db, actor: Actor, planId: number, lang: LanguageCode): Promise<{ body: Buffer; fileName: string }> {
  const plan = await getPlan(db, actor, planId);
  const framework = (await getFramework(db, actor, plan.frameworkId)).definition;
  const w = words[lang];
  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang);
  const doc = new PDFDocument({ size: 'LETTER', margin: 50, info: { Title: plan.title, Author: 'Schoolwell' }, lang, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.fontSize(18).font('Helvetica-Bold').text(plan.title);
  const actionCount = plan.goals.reduce((n, g) => n + g.actions.length, 0);
  doc.moveDown(0.3).fontSize(11).font('Helvetica').text(`${plan.orgName} · ${w.period}: ${plan.startsOn} – ${plan.endsOn} · ${text(framework.name)} · ${plan.goals.length} ${w.goals}, ${actionCount} ${w.actions}`);
  doc.moveDown();

  const cols = [{ x: 50, w: 200 }, { x: 254, w: 100 }, { x: 358, w: 95 }, { x: 457, w: 70 }, { x: 530, w: 32 }];
  const row = (cells: string[], bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i].w })));
    if (doc.y + height > doc.page.height - 60) doc.addPage();
    const top = doc.y;
    cells.forEach((c, i) => doc.text(c, cols[i].x, top, { width: cols[i].w }));
    doc.y = top + height + 4;
    doc.x = 50;
  };
  const goal = (g: GoalView) => {
    if (doc.y > doc.page.height - 140) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12).text(g.title);
    if (g.description) doc.font('Helvetica').fontSize(10).text(g.description);
    const facts = [
      g.baseline !== null ? `${w.baseline}: ${fmt(g.baseline)}` : null,
      g.target !== null ? `${w.target}: ${fmt(g.target)}${g.targetDate ? ` ${w.by} ${g.targetDate}` : ''}` : null,
      g.check.current !== null ? `${w.latest}: ${fmt(g.check.current)} (${g.check.period})` : null,
      w.checks[g.check.status],
    ].filter(Boolean);
    doc.font('Helvetica').fontSize(10).text(facts.join(' · '));
    doc.moveDown(0.4);
    if (!g.actions.length) doc.fontSize(9).text(w.noActions);
    else {
      row([w.action, w.owner, w.dates, w.status, w.priority], true);
      for (const a of g.actions) row([a.title, a.owner?.name ?? '—', [a.startsOn, a.dueOn].filter(Boolean).join(' – ') || '—', w.statuses[a.status as ActionStatus], a.priorityScore === null ? '—' : String(a.priorityScore)]);
    }
    doc.moveDown();
  };

  const placed = new Set<number>();
  for (const e of framework.elements) {
    const ref = `${framework.id}:${e.id}`;
    const goals = plan.goals.filter((g) => !placed.has(g.id) && g.elements.includes(ref));
    if (!goals.length) continue;
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(14).text(text(e.name));
    doc.moveDown(0.3);
    for (const g of goals) {
      placed.add(g.id);
      goal(g);
    }
  }
  const rest = plan.goals.filter((g) => !placed.has(g.id));
  if (rest.length) {
    doc.font('Helvetica-Bold').fontSize(14).text(w.other);
    doc.moveDown(0.3);
    rest.forEach(goal);
  }
  doc.end();
  const safe = plan.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'plan';
  return { body: await done, fileName: `${safe}.pdf` };
}
