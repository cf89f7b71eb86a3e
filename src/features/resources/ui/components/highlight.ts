import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../resources.contract.js';

/**
 * Splits text from the search into plain runs and matched words (between ⟦ and ⟧). Text only:
 * the result is rendered as React text and <mark> elements, never parsed as HTML.
 */
export function highlightParts(text: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  let rest = text;
  while (rest.length) {
    const start = rest.indexOf(HIGHLIGHT_START);
    if (start === -1) {
      out.push({ text: rest, match: false });
      break;
    }
    if (start > 0) out.push({ text: rest.slice(0, start), match: false });
    const end = rest.indexOf(HIGHLIGHT_END, start + 1);
    // A marker left open (a cut-off fragment) marks the rest of the text.
    const word = rest.slice(start + HIGHLIGHT_START.length, end === -1 ? undefined : end);
    if (word) out.push({ text: word, match: true });
    rest = end === -1 ? '' : rest.slice(end + HIGHLIGHT_END.length);
  }
  // A stray closing marker never reaches the reader.
  return out.map((p) => ({ ...p, text: p.text.split(HIGHLIGHT_END).join('') })).filter((p) => p.text);
}

/**
 * An excerpt of a longer text (the search's summary fragments) with "…" where it starts after the
 * beginning or stops before the end, so a cut sentence reads as cut.
 */
export function withEllipses(excerpt: string, full: string): string {
  const plain = highlightParts(excerpt).map((p) => p.text).join('').trim();
  if (!plain || !full) return excerpt;
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const text = norm(full);
  const head = norm(plain).slice(0, 30);
  const tail = norm(plain).slice(-30);
  return `${text.startsWith(head) ? '' : '… '}${excerpt.trim()}${text.endsWith(tail) ? '' : ' …'}`;
}
