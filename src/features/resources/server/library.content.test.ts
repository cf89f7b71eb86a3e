import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentDir, elementRefs, readShippedFrameworks } from '../../instruments/server/content.js';
import { resourceAudiences, resourceTypes, shippedLibraryFile } from '../resources.model.js';

const file = path.join(contentDir, 'resources', 'starter.json');
const library = shippedLibraryFile.parse(JSON.parse(readFileSync(file, 'utf8')));
const frameworks = readShippedFrameworks().flatMap((f) => (f.definition ? [f.definition] : []));
const knownTags = elementRefs(frameworks);
const languages = ['en', 'fr', 'es'] as const;
/** Pages of the product a shipped resource may point to. */
const productPages = new Set(['/frameworks', '/instruments', '/orgs', '/resources']);

describe('starter resource library', () => {
  const { resources, collections } = library;

  it('has at least 60 resources with unique ids', () => {
    expect(resources.length).toBeGreaterThanOrEqual(60);
    const ids = resources.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tags every resource with one to four known framework elements', () => {
    expect(knownTags.size).toBeGreaterThan(0);
    for (const r of resources) {
      expect(r.elements.length, r.id).toBeGreaterThanOrEqual(1);
      expect(r.elements.length, r.id).toBeLessThanOrEqual(4);
      expect(new Set(r.elements).size, r.id).toBe(r.elements.length);
      for (const tag of r.elements) expect(knownTags.has(tag), `${r.id}: ${tag}`).toBe(true);
    }
  });

  it('tags every element of every framework on at least three resources', () => {
    const counts = new Map<string, number>();
    for (const r of resources) for (const tag of r.elements) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const thin = [...knownTags].filter((tag) => (counts.get(tag) ?? 0) < 3);
    expect(thin).toEqual([]);
  });

  it('gives every title and summary in English, French and Spanish', () => {
    for (const r of resources) {
      for (const lang of languages) {
        expect(r.title[lang]?.trim(), `${r.id} title ${lang}`).toBeTruthy();
        expect(r.title[lang]!.length, `${r.id} title ${lang}`).toBeLessThanOrEqual(80);
        expect(r.summary[lang]?.trim(), `${r.id} summary ${lang}`).toBeTruthy();
      }
      expect([...r.languages].sort(), r.id).toEqual(['en', 'es', 'fr']);
      expect(r.source, r.id).toBe('Schoolwell starter library');
    }
    for (const c of collections) {
      for (const lang of languages) {
        expect(c.title[lang]?.trim(), `${c.id} title ${lang}`).toBeTruthy();
        expect(c.description[lang]?.trim(), `${c.id} description ${lang}`).toBeTruthy();
      }
    }
  });

  it('links only to pages of the product or to example addresses marked as examples', () => {
    for (const r of resources) {
      if (r.url === null) {
        expect(r.example, r.id).toBe(false);
      } else if (r.url.startsWith('/')) {
        expect(productPages.has(r.url), `${r.id}: ${r.url}`).toBe(true);
        expect(r.example, r.id).toBe(false);
      } else {
        expect(r.url, r.id).toMatch(/^https:\/\/example\.org\//);
        expect(r.example, r.id).toBe(true);
      }
    }
  });

  it('uses every type and every audience', () => {
    const types = new Set(resources.map((r) => r.type));
    for (const t of resourceTypes) expect(types.has(t), t).toBe(true);
    const audiences = new Set(resources.flatMap((r) => r.audiences));
    for (const a of resourceAudiences) expect(audiences.has(a), a).toBe(true);
  });

  it('has collections of existing resources, including getting started with connectedness', () => {
    const ids = new Set(resources.map((r) => r.id));
    const collectionIds = collections.map((c) => c.id);
    expect(new Set(collectionIds).size).toBe(collectionIds.length);
    expect(collectionIds).toContain('getting_started_connectedness');
    for (const c of collections) {
      expect(c.resources.length, c.id).toBeGreaterThanOrEqual(4);
      expect(new Set(c.resources).size, c.id).toBe(c.resources.length);
      for (const id of c.resources) expect(ids.has(id), `${c.id}: ${id}`).toBe(true);
    }
  });
});
