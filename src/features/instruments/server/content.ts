import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FrameworkDefinition, frameworkDefinition } from '../../frameworks/frameworks.contract.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';
import { type DefinitionIssue, validateDefinition } from '../model/validate.js';

export const contentDir = fileURLToPath(new URL('../../../../content', import.meta.url));

export interface ContentFile<T> {
  file: string;
  definition: T | null;
  issues: DefinitionIssue[];
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The frameworks shipped in content/frameworks/*.json, each checked against the schema. */
export function readShippedFrameworks(dir = path.join(contentDir, 'frameworks')): ContentFile<FrameworkDefinition>[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const parsed = frameworkDefinition.safeParse(readJson(file));
      if (!parsed.success) return { file, definition: null, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, severity: 'error' as const })) };
      const issues: DefinitionIssue[] = [];
      if (`${parsed.data.id}.json` !== f) issues.push({ path: 'id', message: `The file must be named ${parsed.data.id}.json.`, severity: 'error' });
      return { file, definition: parsed.data, issues };
    });
}

/** Every framework element as "framework:element", for validating tags. */
export function elementRefs(frameworks: FrameworkDefinition[]): Set<string> {
  return new Set(frameworks.flatMap((f) => f.elements.map((e) => `${f.id}:${e.id}`)));
}

/**
 * The instruments shipped in content/instruments/<id>/v<N>.json, each validated as at publish time
 * (tags checked against the shipped frameworks).
 */
export function readShippedInstruments(dir = path.join(contentDir, 'instruments'), knownTags?: Set<string>): ContentFile<InstrumentDefinition>[] {
  const out: ContentFile<InstrumentDefinition>[] = [];
  for (const id of readdirSync(dir).sort()) {
    const folder = path.join(dir, id);
    for (const f of readdirSync(folder).filter((x) => /^v\d+\.json$/.test(x)).sort()) {
      const file = path.join(folder, f);
      const { definition, issues } = validateDefinition(readJson(file), knownTags);
      if (definition && (definition.id !== id || `v${definition.version}.json` !== f)) {
        issues.push({ path: 'id', message: `The file must be content/instruments/${definition.id}/v${definition.version}.json.`, severity: 'error' });
      }
      out.push({ file, definition, issues });
    }
  }
  return out;
}
