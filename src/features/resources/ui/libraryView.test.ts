import { describe, expect, it } from 'vitest';
import { libraryLink, readView, writeView } from './libraryView.js';

describe('the library view in the address', () => {
  it('reads repeated and comma-separated values, and writes them back in one order', () => {
    const v = readView(new URLSearchParams('q=%20screening%20&type=video,lesson&type=guide&element=quality:screening&collection=3&page=2'));
    expect(v).toEqual({ q: 'screening', filters: { type: ['video', 'lesson', 'guide'], audience: [], grade: [], language: [], element: ['quality:screening'] }, collection: 3, page: 2 });
    expect(writeView(v).toString()).toBe('q=screening&type=video&type=lesson&type=guide&element=quality%3Ascreening&collection=3&page=2');
    expect(readView(writeView(v))).toEqual(v);
  });

  it('drops what the library does not know, so an old or edited link still opens', () => {
    const v = readView(new URLSearchParams('type=podcast&type=video&audience=aliens&element=teaming&collection=-1&page=zero&language=de'));
    expect(v).toEqual({ q: '', filters: { type: ['video'], audience: [], grade: [], language: [], element: [] }, collection: undefined, page: 1 });
    expect(writeView(v).toString()).toBe('type=video');
  });

  it('links to the library narrowed to an element or a collection', () => {
    expect(libraryLink({ element: ['quality:teaming'] })).toBe('/resources?element=quality%3Ateaming');
    expect(libraryLink({ collection: 4 })).toBe('/resources?collection=4');
    expect(libraryLink({})).toBe('/resources');
  });
});
