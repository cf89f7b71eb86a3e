import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentDir, elementRefs, readShippedFrameworks } from '../../instruments/server/content.js';
import { type PlanTemplateDefinition, planTemplateDefinition } from '../plans.model.js';

const languages = ['en', 'es', 'fr'];
const templatesDir = path.join(contentDir, 'plan-templates');
const instrumentsDir = path.join(contentDir, 'instruments');

const frameworks = readShippedFrameworks().flatMap((f) => (f.definition ? [f.definition] : []));
const knownTags = elementRefs(frameworks);

const files = readdirSync(templatesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const templates = files.map((file) => {
  const parsed = planTemplateDefinition.safeParse(JSON.parse(readFileSync(path.join(templatesDir, file), 'utf8')));
  return { file, parsed };
});
const valid = templates.flatMap(({ file, parsed }) => (parsed.success ? [{ file, t: parsed.data }] : []));

/** The scale ids of content/instruments/<id>/v1.json, or null when there is no such instrument. */
function instrumentScales(instrumentId: string): Set<string> | null {
  const file = path.join(instrumentsDir, instrumentId, 'v1.json');
  if (!existsSync(file)) return null;
  const json = JSON.parse(readFileSync(file, 'utf8')) as { scales?: { id: string }[] };
  return new Set((json.scales ?? []).map((s) => s.id));
}

/** Every localized text of a template, with where it is, for the language check. */
function texts(t: PlanTemplateDefinition): [string, Record<string, string | undefined>][] {
  const out: [string, Record<string, string | undefined>][] = [
    ['title', t.title],
    ['description', t.description],
  ];
  t.goals.forEach((g, gi) => {
    out.push([`goals.${gi}.title`, g.title]);
    out.push([`goals.${gi}.description`, g.description ?? {}]);
    g.actions.forEach((a, ai) => {
      out.push([`goals.${gi}.actions.${ai}.title`, a.title]);
      out.push([`goals.${gi}.actions.${ai}.description`, a.description ?? {}]);
    });
  });
  return out;
}

describe('shipped plan templates', () => {
  it('are there and parse as plan templates', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const { file, parsed } of templates) expect(parsed.success ? [] : parsed.error.issues, file).toEqual([]);
  });

  it('are each named after their id and written for a shipped framework', () => {
    const frameworkIds = new Set(frameworks.map((f) => f.id));
    for (const { file, t } of valid) {
      expect(file).toBe(`${t.id}.json`);
      expect(frameworkIds.has(t.frameworkId), `${file}: framework ${t.frameworkId}`).toBe(true);
    }
  });

  it('give every shipped framework a template', () => {
    const covered = new Set(valid.map(({ t }) => t.frameworkId));
    for (const f of frameworks) expect(covered.has(f.id), `no template for ${f.id}`).toBe(true);
  });

  it('have a goal for every element of their framework and tag only known elements', () => {
    for (const { file, t } of valid) {
      const framework = frameworks.find((f) => f.id === t.frameworkId)!;
      const tagged = new Set(t.goals.flatMap((g) => g.elements));
      for (const e of framework.elements) expect(tagged.has(`${framework.id}:${e.id}`), `${file}: no goal for ${e.id}`).toBe(true);
      for (const tag of tagged) expect(knownTags.has(tag), `${file}: unknown tag ${tag}`).toBe(true);
    }
  });

  it('are written in English, French and Spanish throughout', () => {
    for (const { file, t } of valid) {
      for (const [where, text] of texts(t)) {
        expect(Object.keys(text).sort(), `${file}: ${where}`).toEqual(languages);
        for (const lang of languages) expect(text[lang]?.trim(), `${file}: ${where}.${lang}`).toBeTruthy();
      }
    }
  });

  it('measure goals on scales that the shipped instruments have', () => {
    for (const { file, t } of valid) {
      t.goals.forEach((g, gi) => {
        if (!g.measure) return;
        const scales = instrumentScales(g.measure.instrumentId);
        expect(scales, `${file}: goals.${gi} instrument ${g.measure.instrumentId}`).not.toBeNull();
        expect(scales!.has(g.measure.scaleId), `${file}: goals.${gi} scale ${g.measure.instrumentId}/${g.measure.scaleId}`).toBe(true);
      });
    }
  });

  it('schedule every action within a two-year plan', () => {
    for (const { file, t } of valid) {
      t.goals.forEach((g, gi) =>
        g.actions.forEach((a, ai) => expect(a.startMonth + a.months, `${file}: goals.${gi}.actions.${ai}`).toBeLessThanOrEqual(24)),
      );
    }
  });
});
