import { highlightParts } from './highlight.js';

/** Text with the words that matched the search marked. */
export function Highlighted({ text }: { text: string }) {
  return (
    <>
      {highlightParts(text).map((p, i) =>
        p.match ? (
          <mark key={i} className="resource-mark">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
