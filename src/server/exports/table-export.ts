import writeExcelFile from 'write-excel-file/node';

export type Cell = string | number | boolean | null;
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Text that a spreadsheet would run as a formula is written as text (CSV injection). */
function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? safeText(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A table as a file people open in a spreadsheet: CSV (UTF-8 with BOM, so Excel reads accents)
 * or XLSX. Headers first, one row per record.
 */
export async function tableFile(format: ExportFormat, headers: string[], rows: Cell[][], name: string): Promise<{ body: Buffer; type: string; fileName: string }> {
  if (format === 'csv') {
    const text = [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
    return { body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8'), type: 'text/csv; charset=utf-8', fileName: `${name}.csv` };
  }
  const data = [headers.map((h) => ({ value: h, fontWeight: 'bold' as const })), ...rows.map((r) => r.map((v) => (v === null ? null : { value: typeof v === 'string' ? safeText(v) : v })))];
  const body = await writeExcelFile(data as never).toBuffer();
  return { body, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${name}.xlsx` };
}
