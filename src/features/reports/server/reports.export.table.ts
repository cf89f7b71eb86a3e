import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Sheet, SheetData } from 'write-excel-file/node';
import { type Cell, tableFile } from '../../../server/exports/table-export.js';
import type { ItemFigure, ScaleFigure, ShownPercent, SurveyReport } from '../reports.contract.js';
import { type ExportWords, levelWord } from './reports.export.words.js';

/** One organisation's reports, as an export reads them: every figure already through the suppression plan. */
export interface OrgReports {
  org: { id: number; name: string; code: string; kind: string; country: string | null };
  /** The report overall (for an organisation with others below it: by those, whose overall figures come from the same plan). */
  main: SurveyReport;
  /** The same organisation side by side: by organisation below, then by each demographic question. */
  groupings: { label: string; report: SurveyReport }[];
}

export interface ExportFile {
  body: Buffer;
  type: string;
  fileName: string;
}

/**
 * Writes a workbook on a worker thread: laying out and zipping tens of thousands of rows takes
 * long enough to stall every other request if done on the main thread.
 */
function writeWorkbookApart(sheets: Sheet<Buffer>[]): Promise<Buffer> {
  const lib = createRequire(import.meta.url).resolve('write-excel-file/node');
  const source = `const { parentPort, workerData } = require('node:worker_threads');
    require(workerData.lib)(workerData.sheets).toBuffer().then((b) => parentPort.postMessage(b));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { lib, sheets } });
    worker.once('message', (m: Uint8Array) => {
      resolve(Buffer.from(m.buffer, m.byteOffset, m.byteLength));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The workbook writer stopped (${code}).`)));
  });
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** A shown percentage as a cell: coded extremes as "≤5" / "≥95", otherwise to one decimal. */
export function percentCell(p: ShownPercent, w: ExportWords): Cell {
  if (p.value === null) return null;
  if (p.coded === 'at_most') return w.atMost(p.value);
  if (p.coded === 'at_least') return w.atLeast(p.value);
  return round(p.value, 1);
}

/** A group's n, or why it is not shown: the words, never a number. */
export function nCell(f: { n: number | null; withheld: 'small' | 'complementary' | 'combination' | null }, k: number, w: ExportWords): Cell {
  if (f.withheld === 'small') return w.fewerThan(k);
  if (f.withheld) return w.withheld;
  return f.n;
}

/**
 * Collects the rows of every organisation, one row per organisation × grouping × group × scale
 * (or question), and writes them as CSV (scales and questions in one table, a type column apart)
 * or XLSX (a sheet each, and a "Read me" sheet on the privacy rules).
 */
export class TableExport {
  private readonly scaleRows: Cell[][] = [];
  private readonly itemRows: Cell[][] = [];
  private readonly ks = new Set<number>();
  /** Share columns: every band label of the scales, every answer label of the questions, in order. */
  private readonly bandLabels: string[];
  private readonly pointLabels: string[];

  constructor(
    private readonly w: ExportWords,
    private readonly top: SurveyReport,
  ) {
    this.bandLabels = [...new Set(top.scales.flatMap((s) => s.bands.map((b) => b.label)))];
    this.pointLabels = [...new Set(top.items.flatMap((i) => i.points.map((p) => p.label)))];
  }

  add(o: OrgReports): void {
    this.ks.add(o.main.k);
    const w = this.w;
    const place = [o.org.name, o.org.code, levelWord(w, o.org.kind, o.org.country)];
    // Overall, then each grouping's columns: column j of a report is group j of its scales and items.
    const views: { grouping: string; group: string; r: SurveyReport; j: number | null }[] = [{ grouping: w.all, group: '', r: o.main, j: null }];
    for (const g of o.groupings) g.report.columns.forEach((c, j) => views.push({ grouping: g.label, group: c.label, r: g.report, j }));
    const pick = <F>(x: { overall: F; columns: F[] }, j: number | null): F => (j === null ? x.overall : x.columns[j]);
    for (const v of views) {
      const lead = [...place, v.grouping, v.group];
      for (const s of v.r.scales) {
        const f = pick<ScaleFigure>(s, v.j);
        const shares = new Map(s.bands.map((b, i) => [b.label, percentCell(f.bands[i].percent, w)]));
        this.scaleRows.push([...lead, w.types.scale, s.id, s.title, nCell(f, v.r.k, w), f.mean === null ? null : round(f.mean, 2), percentCell(f.favourable, w), ...this.bandLabels.map((l) => shares.get(l) ?? null)]);
      }
      for (const it of v.r.items) {
        const f = pick<ItemFigure>(it, v.j);
        const shares = new Map(it.points.map((p, i) => [p.label, percentCell(f.distribution[i], w)]));
        this.itemRows.push([...lead, w.types.item, it.id, it.text, nCell(f, v.r.k, w), f.mean === null ? null : round(f.mean, 2), percentCell(f.favourable, w), ...this.pointLabels.map((l) => shares.get(l) ?? null)]);
      }
    }
  }

  private headers(shares: string[]): string[] {
    const h = this.w.headers;
    return [h.organisation, h.code, h.level, h.grouping, h.group, h.type, h.id, h.title, h.n, h.mean, h.favourable, ...shares.map(h.share)];
  }

  /** The "Read me" lines: what the file holds and the privacy rules its figures went through. */
  private readMe(scope: 'org' | 'org_and_below'): string[] {
    const a = this.top.administration;
    return this.w.readMe({
      title: a.title,
      org: this.top.org.name,
      scope: this.w.scopes[scope],
      k: [...this.ks].sort((x, y) => x - y).join(', ') || String(this.top.k),
      generated: new Date().toISOString().slice(0, 10),
      dates: `${a.opensAt.slice(0, 10)} – ${a.closesAt.slice(0, 10)}`,
    });
  }

  async csv(name: string): Promise<ExportFile> {
    // Band and answer labels may coincide ("High"): one column each kind all the same.
    const shares = [...this.bandLabels, ...this.pointLabels.map((l) => (this.bandLabels.includes(l) ? `${l} (${this.w.types.item})` : l))];
    const pad = (rows: Cell[][], before: number, after: number) => rows.map((r) => [...r.slice(0, 11), ...Array<Cell>(before).fill(null), ...r.slice(11), ...Array<Cell>(after).fill(null)]);
    const rows = [...pad(this.scaleRows, 0, this.pointLabels.length), ...pad(this.itemRows, this.bandLabels.length, 0)];
    return tableFile('csv', this.headers(shares), rows, name);
  }

  async xlsx(name: string, scope: 'org' | 'org_and_below'): Promise<ExportFile> {
    const bold = (h: string) => ({ value: h, fontWeight: 'bold' as const });
    // Text that a spreadsheet would run as a formula is written as text (CSV injection), as in tableFile.
    const cell = (v: Cell) => (v === null ? null : { value: typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v });
    const sheet = (headers: string[], rows: Cell[][]): SheetData => [headers.map(bold), ...rows.map((r) => r.map(cell))];
    const widths = (n: number) => [28, 12, 12, 22, 18, 10, 12, 40, 12, 8, 12, ...Array<{ width: number }>(n).fill({ width: 9 })].map((x) => (typeof x === 'number' ? { width: x } : x));
    const body = await writeWorkbookApart([
      { data: sheet(this.headers(this.bandLabels), this.scaleRows), sheet: this.w.sheets.scales, columns: widths(this.bandLabels.length), stickyRowsCount: 1 },
      { data: sheet(this.headers(this.pointLabels), this.itemRows), sheet: this.w.sheets.items, columns: widths(this.pointLabels.length), stickyRowsCount: 1 },
      { data: this.readMe(scope).map((line) => [{ value: line }]), sheet: this.w.sheets.readMe, columns: [{ width: 120 }] },
    ]);
    return { body, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${name}.xlsx` };
  }
}
