import PDFDocument from 'pdfkit';
import type { LanguageCode } from '../../instruments/model/lang.js';
import type { ShownPercent, SurveyReport } from '../reports.contract.js';
import type { ExportFile, OrgReports } from './reports.export.table.js';
import { type ExportWords, levelWord } from './reports.export.words.js';

const M = 50;
const W = 512;
/** Lowest y content may reach: the footer sits below it. */
const FLOOR = 792 - 62;
const BLUE = '#1f5fa8';
const GREY = '#7a828a';
const TRACK = '#e6e9ec';
const INK = '#1a1a1a';

/** Lets other requests in between two parts of a long report. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

type Figure = { n: number | null; withheld: 'small' | 'complementary' | 'combination' | null };

/** Answer colours from disagreement (red) through neutral to agreement (blue), legible in grey print. */
function pointColours(count: number): string[] {
  const ends = [
    [178, 55, 45],
    [225, 225, 225],
    [31, 95, 168],
  ];
  return Array.from({ length: count }, (_, i) => {
    const t = count === 1 ? 1 : i / (count - 1);
    const [a, b, u] = t < 0.5 ? [ends[0], ends[1], t * 2] : [ends[1], ends[2], (t - 0.5) * 2];
    return `#${a.map((c, j) => Math.round(c + (b[j] - c) * u).toString(16).padStart(2, '0')).join('')}`;
  });
}

/**
 * One PDF report per organisation, added one after another to a single document: title and
 * respondents, headline scales as horizontal bars beside the parent organisation, the trend,
 * each question as a stacked bar, the groups side by side, and the privacy rules. Charts are
 * pdfkit vector shapes; every withheld figure is printed in words, never as a number.
 */
export class PdfExport {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<Buffer>;
  private k = 10;
  private page = 0;

  constructor(
    private readonly w: ExportWords,
    lang: LanguageCode,
    title: string,
  ) {
    this.doc = new PDFDocument({ size: 'LETTER', margin: M, autoFirstPage: false, info: { Title: title, Author: 'Schoolwell' }, lang });
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    // Every page carries the privacy rule in a line and its number, under the content.
    this.doc.on('pageAdded', () => {
      const d = this.doc;
      this.page++;
      const bottom = d.page.margins.bottom;
      d.page.margins.bottom = 0;
      d.font('Helvetica').fontSize(7).fillColor(GREY).text(this.w.pdf.footer(this.k, this.page), M, d.page.height - 40, { width: W, align: 'center' });
      d.page.margins.bottom = bottom;
      d.fillColor(INK).x = M;
      d.y = M;
    });
  }

  /** Starts a new page when fewer than `h` points are left. */
  private ensure(h: number): void {
    if (this.doc.y + h > FLOOR) this.doc.addPage();
  }

  private heading(text: string, size = 12): void {
    this.ensure(size * 4);
    this.doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor(INK).text(text, M, this.doc.y, { width: W });
    this.doc.moveDown(0.3);
  }

  /** A count in words when withheld ("fewer than 10", "withheld"). */
  private nText(f: Figure, k: number): string {
    if (f.withheld === 'small') return this.w.fewerThan(k);
    if (f.withheld) return this.w.withheld;
    return String(f.n ?? 0);
  }

  /** A percentage as printed: words for a withheld group or a coded extreme, "—" when there is nothing to count. */
  private pctText(p: ShownPercent, f: Figure, k: number): string {
    if (f.withheld) return this.nText(f, k);
    if (p.value === null) return '—';
    if (p.coded === 'at_most') return this.w.atMostWords(p.value);
    if (p.coded === 'at_least') return this.w.atLeastWords(p.value);
    return `${Math.round(p.value)} %`;
  }

  /** Adds one organisation's report; long ones let other requests in between sections and every few rows. */
  async add(o: OrgReports): Promise<void> {
    const { doc, w } = this;
    const r = o.main;
    this.k = r.k;
    doc.addPage();
    doc.outline.addItem(o.org.name);
    const a = r.administration;
    doc.font('Helvetica-Bold').fontSize(17).fillColor(INK).text(a.title, M, M, { width: W });
    doc.moveDown(0.2).fontSize(13).text(`${o.org.name} · ${levelWord(w, o.org.kind, o.org.country)}`, { width: W });
    doc.moveDown(0.2).font('Helvetica').fontSize(9).fillColor(GREY).text(`${w.pdf.administration}: ${a.org.name}, ${a.opensAt.slice(0, 10)} – ${a.closesAt.slice(0, 10)}`, { width: W });
    doc.moveDown(0.4).font('Helvetica-Bold').fontSize(11).fillColor(INK).text(`${w.pdf.respondents}: ${this.nText(r.respondents, r.k)}`, { width: W });
    this.headline(r);
    this.trend(r);
    await breathe();
    await this.items(r);
    for (const g of o.groupings) await this.groups(g.label, g.report);
    this.privacy(r.k);
  }

  /** The privacy rules, kept together on one page. */
  private privacy(k: number): void {
    const { doc, w } = this;
    const lines = w.pdf.privacy(k).map((l) => `• ${l}`);
    doc.font('Helvetica').fontSize(8.5);
    this.ensure(50 + lines.reduce((h, l) => h + doc.heightOfString(l, { width: W }) + 2, 0));
    this.heading(w.pdf.privacyTitle, 11);
    doc.font('Helvetica').fontSize(8.5).fillColor(INK);
    for (const line of lines) doc.text(line, M, doc.y, { width: W }).moveDown(0.2);
  }

  /** Each scale's favourable share as a bar on 0–100, the parent organisation's as a thin grey bar beneath. */
  private headline(r: SurveyReport): void {
    const { doc, w } = this;
    this.heading(w.pdf.headline);
    const X = M + 170;
    const BW = 240;
    if (r.parent) {
      const y = doc.y;
      doc.rect(X, y, 8, 8).fill(BLUE).rect(X + 120, y, 8, 8).fill(GREY);
      doc.font('Helvetica').fontSize(8).fillColor(INK).text(r.org.name, X + 12, y + 0.5, { width: 105, lineBreak: false, ellipsis: true }).text(r.parent.name, X + 132, y + 0.5, { width: 180, lineBreak: false, ellipsis: true });
      doc.y = y + 14;
    }
    for (const s of r.scales) {
      const rowH = s.parent ? 32 : 24;
      this.ensure(rowH);
      const y = doc.y;
      const f = s.overall;
      doc.font('Helvetica').fontSize(9).fillColor(INK).text(s.title, M, y, { width: 165, height: 12, ellipsis: true, lineBreak: false });
      const meanText = f.withheld || f.mean === null ? '' : ` · ${w.pdf.mean} ${f.mean.toFixed(2)}`;
      doc.fontSize(7).fillColor(GREY).text(`${w.pdf.answered(this.nText(f, r.k))}${meanText}`, M, y + 12, { width: 165, lineBreak: false });
      doc.rect(X, y, BW, 11).fill(TRACK);
      if (!f.withheld && f.favourable.value !== null) doc.rect(X, y, (BW * f.favourable.value) / 100, 11).fill(BLUE);
      doc.font(f.withheld ? 'Helvetica-Oblique' : 'Helvetica-Bold').fontSize(9).fillColor(INK).text(this.pctText(f.favourable, f, r.k), X + BW + 8, y + 1, { width: W - (X - M) - BW - 8, lineBreak: false });
      if (s.parent && r.parent) {
        const p = s.parent;
        doc.rect(X, y + 15, BW, 5).fill(TRACK);
        if (!p.withheld && p.favourable.value !== null) doc.rect(X, y + 15, (BW * p.favourable.value) / 100, 5).fill(GREY);
        doc.font('Helvetica').fontSize(7).fillColor(GREY).text(this.pctText(p.favourable, p, r.k), X + BW + 8, y + 14, { width: W - (X - M) - BW - 8, lineBreak: false });
      }
      doc.y = y + rowH;
    }
  }

  /** The favourable share of each scale in earlier comparable administrations, as figures over small bars. */
  private trend(r: SurveyReport): void {
    const { doc, w } = this;
    this.heading(w.pdf.trend);
    const points = r.scales[0]?.trend ?? [];
    if (points.length <= 1) {
      doc.font('Helvetica').fontSize(9).fillColor(GREY).text(w.pdf.noTrend, M, doc.y, { width: W });
      return;
    }
    const colW = (W - 160) / points.length;
    this.ensure(40);
    let y = doc.y;
    doc.font('Helvetica-Bold').fontSize(7.5).fillColor(INK);
    points.forEach((t, i) => doc.text(`${t.title}\n${t.closesAt.slice(0, 10)}`, M + 160 + i * colW, y, { width: colW - 6, height: 22, ellipsis: true }));
    doc.y = y + 24;
    for (const s of r.scales) {
      this.ensure(22);
      y = doc.y;
      doc.font('Helvetica').fontSize(8.5).fillColor(INK).text(s.title, M, y, { width: 155, height: 11, ellipsis: true, lineBreak: false });
      s.trend.forEach((t, i) => {
        const x = M + 160 + i * colW;
        // Each administration's figure went through its own plan; the same words when withheld.
        doc.font(t.figure.withheld ? 'Helvetica-Oblique' : 'Helvetica').fontSize(8).fillColor(INK).text(this.pctText(t.figure.favourable, t.figure, r.k), x, y, { width: colW - 6, lineBreak: false, ellipsis: true });
        doc.rect(x, y + 11, colW - 12, 4).fill(TRACK);
        if (!t.figure.withheld && t.figure.favourable.value !== null) doc.rect(x, y + 11, ((colW - 12) * t.figure.favourable.value) / 100, 4).fill(BLUE);
      });
      doc.y = y + 22;
    }
  }

  /** Every rated question as a bar split by the share of each answer, with the shares in words beneath. */
  private async items(r: SurveyReport): Promise<void> {
    const { doc, w } = this;
    this.heading(w.pdf.items);
    // One legend per answer scale (agreement, a 0–10 rating, …), in the order they first appear.
    const legends = new Map<string, string[]>();
    for (const it of r.items) legends.set(it.points.map((p) => p.label).join('\u0000'), it.points.map((p) => p.label));
    for (const labels of legends.values()) {
      const colours = pointColours(labels.length);
      this.ensure(14);
      let x = M;
      const y = doc.y;
      doc.font('Helvetica').fontSize(7);
      labels.forEach((l, i) => {
        const tw = Math.min(doc.widthOfString(l), 90);
        if (x + 12 + tw > M + W) return;
        doc.rect(x, y, 7, 7).fill(colours[i]);
        doc.fillColor(INK).text(l, x + 10, y + 0.5, { width: tw + 1, lineBreak: false, ellipsis: true });
        x += 18 + tw;
      });
      doc.y = y + 12;
    }
    const BW = 400;
    for (const [n, it] of r.items.entries()) {
      if (n % 20 === 19) await breathe();
      const f = it.overall;
      doc.font('Helvetica').fontSize(8.5);
      const textH = doc.heightOfString(it.text, { width: W });
      this.ensure(textH + 32);
      doc.fillColor(INK).text(it.text, M, doc.y, { width: W });
      const y = doc.y + 2;
      doc.font('Helvetica').fontSize(7.5).fillColor(GREY).text(w.pdf.answered(this.nText(f, r.k)), M + BW + 8, y + 2, { width: W - BW - 8, lineBreak: false });
      if (f.withheld || f.n === 0) {
        doc.rect(M, y, BW, 12).fill(TRACK);
        doc.font('Helvetica-Oblique').fontSize(8).fillColor(INK).text(f.withheld ? this.nText(f, r.k) : '—', M + 6, y + 2, { width: BW - 12, lineBreak: false });
        doc.y = y + 18;
        continue;
      }
      // Exact shares are drawn at their width; coded ones ("5 % or less") share what is left, in proportion to their shown value.
      const exact = f.distribution.reduce((t, p) => t + (p.coded ? 0 : (p.value ?? 0)), 0);
      const coded = f.distribution.reduce((t, p) => t + (p.coded ? (p.value ?? 0) : 0), 0);
      const rest = Math.max(0, 100 - exact);
      const shown = f.distribution.map((p) => (p.coded ? (coded ? (rest * (p.value ?? 0)) / coded : 0) : (p.value ?? 0)));
      const sum = Math.max(100, shown.reduce((t, v) => t + v, 0));
      const colours = pointColours(it.points.length);
      let x = M;
      shown.forEach((v, i) => {
        const seg = (BW * v) / sum;
        if (seg > 0) doc.rect(x, y, seg, 12).fill(colours[i]);
        x += seg;
      });
      const shares = it.points.map((p, i) => `${p.label} ${this.pctText(f.distribution[i], f, r.k)}`).join(' · ');
      doc.font('Helvetica').fontSize(7).fillColor(GREY).text(shares, M, y + 14, { width: W });
      doc.y += 4;
    }
  }

  /** One grouping side by side: each group's respondents and each scale's favourable share (five scales a table). */
  private async groups(label: string, r: SurveyReport): Promise<void> {
    const { doc, w } = this;
    if (!r.columns.length) return;
    this.heading(w.pdf.groups(label), 11);
    for (let first = 0; first < Math.max(1, r.scales.length); first += 5) {
      const scales = r.scales.slice(first, first + 5).map((s) => ({ s }));
      const scaleW = (W - 200) / Math.max(1, scales.length);
      const cols = [{ x: M, w: 130 }, { x: M + 134, w: 62 }, ...scales.map((_, i) => ({ x: M + 200 + i * scaleW, w: scaleW - 4 }))];
      const header = [w.pdf.group, w.headers.n, ...scales.map(({ s }) => `${s.title} (${w.headers.favourable})`)];
      const row = (cells: string[], bold: boolean) => {
        doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
        const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i].w })));
        if (doc.y + h + 4 > FLOOR) {
          doc.addPage();
          // A table that runs onto a new page repeats its header.
          if (!bold) row(header, true);
          doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
        }
        const y = doc.y;
        cells.forEach((c, i) => doc.fillColor(INK).text(c, cols[i].x, y, { width: cols[i].w }));
        doc.moveTo(M, y + h + 2).lineTo(M + W, y + h + 2).lineWidth(0.3).stroke(TRACK);
        doc.y = y + h + 4;
      };
      if (first > 0) doc.moveDown(0.6);
      row(header, true);
      for (const [j, c] of r.columns.entries()) {
        if (j % 40 === 39) await breathe();
        row([c.label, this.nText(c, r.k), ...scales.map(({ s }) => this.pctText(s.columns[j].favourable, s.columns[j], r.k))], false);
      }
      await breathe();
    }
  }

  async finish(fileName: string): Promise<ExportFile> {
    this.doc.end();
    return { body: await this.ended, type: 'application/pdf', fileName: `${fileName}.pdf` };
  }
}
