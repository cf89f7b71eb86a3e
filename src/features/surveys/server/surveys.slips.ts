import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { LanguageCode } from '../../instruments/model/text.js';
import { printable } from './surveys.codes.js';

const words = {
  en: { title: 'Your survey code', how: 'Scan the square, or go to', type: 'and type this code:', once: 'This code works once. Keep it to yourself.' },
  fr: { title: 'Ton code de sondage', how: 'Scanne le carré, ou va sur', type: 'et tape ce code :', once: 'Ce code ne marche qu’une fois. Garde-le pour toi.' },
  es: { title: 'Tu código de encuesta', how: 'Escanea el cuadrado, o ve a', type: 'y escribe este código:', once: 'Este código sirve una sola vez. No lo compartas.' },
} as const;

/** Draws a QR code as vector squares (sharp at any print size, no image to embed). */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 2);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x + (c + 1) * cell, y + (r + 1) * cell, cell, cell);
  doc.fill('#000');
}

/**
 * A printable sheet of cut-out slips, ten to a page: per slip the survey title, school and class,
 * a QR code of the survey link with the code in it, the address to type and the code itself.
 * The codes exist in plain text only here: the database keeps their hashes.
 */
export function slipsPdf(opts: { title: string; school: string; baseUrl: string; lang: LanguageCode; slips: { label: string; code: string }[] }): Promise<Buffer> {
  const w = words[opts.lang];
  const doc = new PDFDocument({ size: 'LETTER', margin: 36, info: { Title: `${opts.title} — ${opts.school}`, Author: 'Schoolwell' }, lang: opts.lang });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const cols = 2;
  const rows = 5;
  const slipW = (doc.page.width - 72) / cols;
  const slipH = (doc.page.height - 72) / rows;
  const address = `${opts.baseUrl}/s`;
  opts.slips.forEach((slip, i) => {
    const onPage = i % (cols * rows);
    if (i > 0 && onPage === 0) doc.addPage();
    const x = 36 + (onPage % cols) * slipW;
    const y = 36 + Math.floor(onPage / cols) * slipH;
    doc.save().dash(4, { space: 4 }).lineWidth(0.5).strokeColor('#888').rect(x, y, slipW, slipH).stroke().restore();
    const qrSize = slipH - 24;
    drawQr(doc, `${opts.baseUrl}/s/${slip.code}`, x + 8, y + 12, qrSize);
    const tx = x + qrSize + 16;
    const tw = slipW - qrSize - 24;
    doc.fillColor('#000').font('Helvetica-Bold').fontSize(10).text(w.title, tx, y + 12, { width: tw });
    doc.font('Helvetica').fontSize(8).text(`${opts.title} · ${opts.school}${slip.label ? ` · ${slip.label}` : ''}`, { width: tw });
    doc.moveDown(0.4).text(`${w.how} ${address} ${w.type}`, { width: tw });
    doc.moveDown(0.3).font('Courier-Bold').fontSize(14).text(printable(slip.code), { width: tw });
    doc.moveDown(0.3).font('Helvetica').fontSize(7).text(w.once, { width: tw });
  });
  doc.end();
  return done;
}
