// Checks shipped content as publishing would: `npx tsx src/features/instruments/server/check-content.ts`
// (every file) or with file paths (only those). Exit code 1 when any error is found.
import path from 'node:path';
import { elementRefs, readShippedFrameworks, readShippedInstruments } from './content.js';

const only = process.argv.slice(2).map((f) => path.resolve(f));
const frameworks = readShippedFrameworks();
const tags = elementRefs(frameworks.flatMap((f) => (f.definition ? [f.definition] : [])));
let errors = 0;
for (const entry of [...frameworks, ...readShippedInstruments(undefined, tags)]) {
  if (only.length && !only.includes(entry.file)) continue;
  const rel = path.relative(process.cwd(), entry.file);
  if (entry.issues.length === 0) {
    console.log(`ok    ${rel}`);
    continue;
  }
  for (const issue of entry.issues) {
    if (issue.severity === 'error') errors++;
    console.log(`${issue.severity === 'error' ? 'ERROR' : 'warn '} ${rel} ${issue.path}: ${issue.message}`);
  }
}
process.exit(errors ? 1 : 0);
