import type { DefinitionIssue } from '../../model/validate.js';

export type Path = (string | number)[];

/** A copy of `obj` with the value at `path` replaced (undefined removes a key). */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const copy = (Array.isArray(obj) ? [...obj] : { ...(obj as object) }) as Record<string | number, unknown>;
  const next = setIn(copy[head], rest, value);
  if (next === undefined && !Array.isArray(copy)) delete copy[head];
  else copy[head] = next;
  return copy as T;
}

export function getIn(obj: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string | number, unknown>)[k]), obj);
}

/** Moves an array element one place up or down. */
export function move<T>(list: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  [copy[index], copy[to]] = [copy[to], copy[index]];
  return copy;
}

/** The messages of the errors at exactly this path, or beneath it when `deep`. */
export function messagesAt(issues: DefinitionIssue[], path: Path, deep = false): string | undefined {
  const p = path.join('.');
  const found = issues.filter((i) => i.severity === 'error' && (i.path === p || (deep && i.path.startsWith(`${p}.`))));
  return found.length ? found.map((i) => i.message).join(' ') : undefined;
}
