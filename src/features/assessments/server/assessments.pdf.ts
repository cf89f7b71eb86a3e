import PDFDocument from 'pdfkit';
import { answerInWords, slotLabeller } from '../../instruments/model/item-types.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { AssessmentResults } from '../assessments.contract.js';

/** The few words of the PDF, in the reader's language. */
const words = {
  en: { results: 'Results', scale: 'Domain', score: 'Score', band: 'Band', change: 'Change', strengths: 'Strengths to build on', priorities: 'Priorities to work on', facts: 'Facts', notEnough: 'not enough answers', notEnoughSchools: 'not enough schools', submitted: 'Submitted', first: 'first time', answers: { DK: "Don't know", NA: 'Not applicable', PNS: 'Prefer not to say', yes: 'Yes', no: 'No' }, studentsEach: 'students each' },
  fr: { results: 'Résultats', scale: 'Domaine', score: 'Score', band: 'Niveau', change: 'Évolution', strengths: "Forces sur lesquelles s'appuyer", priorities: 'Priorités de travail', facts: 'Faits', notEnough: 'pas assez de réponses', notEnoughSchools: "pas assez d'écoles", submitted: 'Soumise le', first: 'première fois', answers: { DK: 'Je ne sais pas', NA: "Ne s'applique pas", PNS: 'Je préfère ne pas répondre', yes: 'Oui', no: 'Non' }, studentsEach: 'élèves chacun' },
  es: { results: 'Resultados', scale: 'Área', score: 'Puntaje', band: 'Nivel', change: 'Cambio', strengths: 'Fortalezas en las que apoyarse', priorities: 'Prioridades de trabajo', facts: 'Datos', notEnough: 'respuestas insuficientes', notEnoughSchools: 'escuelas insuficientes', submitted: 'Enviada el', first: 'primera vez', answers: { DK: 'No sé', NA: 'No aplica', PNS: 'Prefiero no responder', yes: 'Sí', no: 'No' }, studentsEach: 'estudiantes cada uno' },
} as const;

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(1));

/**
 * The results of a submitted assessment as a PDF for a board or team meeting: scores and bands,
 * change since last time, averages around the organisation, strengths and priorities, facts.
 */
export function resultsPdf(r: AssessmentResults, lang: LanguageCode): Promise<Buffer> {
  const w = words[lang];
  const def = r.definition;
  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang, def.defaultLanguage);
  const slotText = slotLabeller(def, lang);
  const doc = new PDFDocument({ size: 'LETTER', margin: 50, info: { Title: `${w.results}: ${text(def.title)}`, Author: 'Schoolwell' }, lang });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.fontSize(18).font('Helvetica-Bold').text(`${w.results}: ${text(def.title)}`);
  doc.moveDown(0.3).fontSize(11).font('Helvetica').text(`${r.assessment.orgName} · ${r.assessment.schoolYear} · ${w.submitted} ${r.assessment.submittedAt?.slice(0, 10) ?? ''}`);
  doc.moveDown();

  if (def.scales.length) {
    const groups = [...new Map(r.scales.flatMap((s) => s.comparisons.map((c) => [c.orgId, c.orgName] as const))).entries()];
    const cols = [{ x: 50, w: 170 }, { x: 225, w: 45 }, { x: 272, w: 70 }, { x: 345, w: 55 }, ...groups.map((_, i) => ({ x: 403 + i * (150 / Math.max(1, groups.length)), w: 150 / Math.max(1, groups.length) - 4 }))];
    const row = (cells: string[], bold = false) => {
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      const heights = cells.map((c, i) => doc.heightOfString(c, { width: cols[i].w }));
      if (y + Math.max(...heights) > doc.page.height - 60) doc.addPage();
      const top = doc.y;
      cells.forEach((c, i) => doc.text(c, cols[i].x, top, { width: cols[i].w }));
      doc.y = top + Math.max(...heights) + 4;
      doc.x = 50;
    };
    row([w.scale, w.score, w.band, w.change, ...groups.map(([, name]) => name)], true);
    for (const s of r.scales) {
      const scale = def.scales.find((x) => x.id === s.scaleId)!;
      const band = scale.bands?.find((b) => b.id === s.band);
      const change = s.score !== null && s.previous?.score != null ? s.score - s.previous.score : null;
      row([
        text(scale.title),
        s.score === null ? w.notEnough : fmt(s.score),
        band ? text(band.label) : '—',
        change === null ? (s.previous ? '—' : w.first) : `${change > 0 ? '+' : ''}${fmt(change)}`,
        ...groups.map(([id]) => {
          const c = s.comparisons.find((x) => x.orgId === id);
          return !c ? '—' : c.enough ? fmt(c.mean) : w.notEnoughSchools;
        }),
      ]);
    }
    doc.moveDown();
  }
  const list = (title: string, items: { slotId: string; value: number }[]) => {
    if (!items.length) return;
    doc.font('Helvetica-Bold').fontSize(12).text(title);
    doc.font('Helvetica').fontSize(10);
    for (const it of items) doc.text(`• ${slotText(it.slotId)} (${it.value})`, { indent: 10 });
    doc.moveDown();
  };
  list(w.strengths, r.strengths);
  list(w.priorities, r.priorities);
  if (r.facts.length) {
    doc.font('Helvetica-Bold').fontSize(12).text(w.facts);
    doc.font('Helvetica').fontSize(9);
    const inWords = answerInWords(def, lang, w.answers);
    for (const f of r.facts) {
      // Numbers carry the district's and state's means beside them (where enough schools answered).
      const around = f.comparisons
        .filter((c) => c.enough && c.mean !== null)
        .map((c) => `${c.orgName} ${fmt(c.mean)}${c.studentsPer ? ` (${c.studentsPer} ${w.studentsEach})` : ''}`);
      doc.text(`${slotText(f.slotId)}: ${inWords(f.slotId, f.value)}${f.studentsPer ? ` (${f.studentsPer} ${w.studentsEach})` : ''}${around.length ? ` · ${around.join(' · ')}` : ''}`);
    }
  }
  doc.end();
  return done;
}
