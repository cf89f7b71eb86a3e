import type { Answers } from '../features/instruments/model/answers.js';
import { type LanguageCode, languageCodes } from '../features/instruments/model/lang.js';
import type { PublicSurvey } from '../features/surveys/surveys.public.contract.js';

/**
 * What the respondent page keeps on the device, and how it sends it. Answers live in
 * localStorage (keyed by the survey code) from the first click, so a dropped connection or a
 * closed tab loses nothing; a submission is retried until the server acknowledges it.
 * Nothing here identifies anyone: the only id is a random submissionId, made per response.
 */

/** Upper case, no dashes or spaces: the form the server reads (codes are typed case-insensitively). */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

/** The code in /s/<code>, normalised; '' for /s/ alone. */
export function codeFromPath(path: string): string {
  const m = /^\/s\/([^/?#]*)/.exec(path);
  if (!m) return '';
  try {
    return normalizeCode(decodeURIComponent(m[1]));
  } catch {
    // A broken %-escape: not a code (shown as unknown, not as a crash).
    return '!';
  }
}

/** Whether a normalised code could be a survey code at all (the server has the final word). */
export function isCode(code: string): boolean {
  return /^[A-Z0-9]{4,40}$/.test(code);
}

export function isLanguage(x: unknown): x is LanguageCode {
  return typeof x === 'string' && (languageCodes as readonly string[]).includes(x);
}

/** The first of the browser's preferred languages that the page speaks, if any. */
export function preferredLanguage(navigatorLanguages: readonly string[]): LanguageCode | null {
  for (const tag of navigatorLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return null;
}

/**
 * A random version-4 UUID (the only kind the server takes as a submissionId); crypto.randomUUID
 * needs a secure context, getRandomValues does not: the fallback sets the version nibble to 4 and
 * the variant bits to 10 (8, 9, a or b) itself.
 */
export function newSubmissionId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** One response in progress on this device. */
export interface Progress {
  v: 1;
  submissionId: string;
  language: LanguageCode | null;
  /** The respondent said yes on the assent screen. */
  started: boolean;
  /** The section on screen. */
  section: string | null;
  answers: Answers;
  /** Sent (or being sent): the answers now only wait for the server's acknowledgement. */
  sending: boolean;
}

export function newProgress(language: LanguageCode | null = null, makeId: () => string = newSubmissionId): Progress {
  return { v: 1, submissionId: makeId(), language, started: false, section: null, answers: {}, sending: false };
}

/** The part of the Web Storage API used here (localStorage, sessionStorage, or a map in tests). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const progressKey = (code: string) => `schoolwell.survey.${code}`;

/**
 * How long answers left on the device count (from the last change): a day. After that they are
 * someone's abandoned answers on a shared device, and are forgotten.
 */
export const PROGRESS_TTL_MS = 24 * 3_600_000;

/** What is stored: the progress and when it was last saved (ms since the epoch). */
type Stored = Progress & { savedAt?: number };

function parseProgress(raw: string | null): { progress: Progress; savedAt: number | null } | null {
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<Stored>;
    if (p?.v !== 1 || typeof p.submissionId !== 'string' || typeof p.answers !== 'object' || p.answers === null || Array.isArray(p.answers)) return null;
    return {
      progress: {
        v: 1,
        submissionId: p.submissionId,
        language: isLanguage(p.language) ? p.language : null,
        started: p.started === true,
        section: typeof p.section === 'string' ? p.section : null,
        answers: p.answers,
        sending: p.sending === true,
      },
      savedAt: typeof p.savedAt === 'number' && Number.isFinite(p.savedAt) ? p.savedAt : null,
    };
  } catch {
    return null;
  }
}

/**
 * Marks kept per browser tab (sessionStorage). `done`: a response was just acknowledged here, in
 * this language (a reload shows the thank-you again). `active`: the survey is under way in this
 * tab (a reload goes straight back to the page; a new tab asks first, "continue or start over").
 */
export type TabFlag = 'done' | 'active';

/**
 * The device's memory of one survey code. Storage may be missing or full (private browsing,
 * a locked-down Chromebook): the page then works from memory alone and never fails on it.
 */
export interface DeviceStore {
  /** The progress kept for this code; null when there is none, or it is older than PROGRESS_TTL_MS (then also removed). */
  load(): Progress | null;
  save(p: Progress): void;
  clear(): void;
  tabFlag(name: TabFlag): string | null;
  /** Sets a mark (any non-empty value) or, with null, removes it. */
  setTabFlag(name: TabFlag, value: string | null): void;
}

export function deviceStore(code: string, local: KeyValue | null, session: KeyValue | null, now: () => number = Date.now): DeviceStore {
  const attempt = <T>(f: () => T, fallback: T): T => {
    try {
      return f();
    } catch {
      return fallback;
    }
  };
  const flagKey = (name: TabFlag) => `${progressKey(code)}.${name}`;
  const save = (p: Progress) => attempt(() => local?.setItem(progressKey(code), JSON.stringify({ ...p, savedAt: now() } satisfies Stored)), undefined);
  const clear = () => attempt(() => local?.removeItem(progressKey(code)), undefined);
  return {
    load: () => {
      const found = attempt(() => parseProgress(local?.getItem(progressKey(code)) ?? null), null);
      if (!found) return null;
      if (found.savedAt === null) {
        // Kept before times were stored: its age is unknown, so the day starts now.
        save(found.progress);
      } else if (now() - found.savedAt > PROGRESS_TTL_MS) {
        clear();
        return null;
      }
      return found.progress;
    },
    save,
    clear,
    // Per tab, on purpose: on a shared Chromebook the next student opening the link in a new tab
    // is not dropped into someone else's answers or thank-you.
    tabFlag: (name) => attempt(() => session?.getItem(flagKey(name)) || null, null),
    setTabFlag: (name, value) => attempt(() => (value ? session?.setItem(flagKey(name), value) : session?.removeItem(flagKey(name))), undefined),
  };
}

/** Storage that may throw on mere access (disabled cookies) read safely. */
export function safeStorage(get: () => Storage): KeyValue | null {
  try {
    return get();
  } catch {
    return null;
  }
}

export interface Submission {
  code: string;
  submissionId: string;
  language: LanguageCode;
  answers: Answers;
}

/**
 * How a submission ended: acknowledged, or refused for good (the caller says why in words).
 * `too_large`: 413, the answers are over the server's size limit (only shorter answers help).
 * `forbidden`: 403, the origin check failed (a stale or odd page; reloading it helps).
 */
export type SubmitResult = { kind: 'acked' } | { kind: 'conflict' } | { kind: 'unknown_code' } | { kind: 'rejected' } | { kind: 'too_large' } | { kind: 'forbidden' } | { kind: 'aborted' };

export type WaitReason = 'offline' | 'busy' | 'server';

export interface SubmitDeps {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Waits `ms` (or less: when the connection comes back, or the respondent presses "try now"). */
  wait: (ms: number) => Promise<void>;
  /** Whether the browser believes it is offline (navigator.onLine false). */
  offline?: () => boolean;
  random?: () => number;
  /** Called before each wait, to tell the respondent that the answers are waiting. */
  onWaiting?: (reason: WaitReason, ms: number) => void;
  /** Called when the server refused one answer and it was left out (the rest is sent again). */
  onAnswerDropped?: (slotId: string, answers: Answers) => void;
  signal?: AbortSignal;
  /** Per request; a hung request on a bad network must not hold the answers forever. */
  timeoutMs?: number;
}

const BASE_MS = 1000;
const CAP_MS = 60_000;

/**
 * The wait before retry number `attempt` (1, 2, …): doubling from 1 s up to a minute, with
 * jitter so that a classroom of Chromebooks coming back online does not retry in step.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** Seconds of a Retry-After header, in ms, within reason. */
function retryAfterMs(res: Response): number | null {
  const s = Number(res.headers.get('retry-after'));
  return Number.isFinite(s) && s > 0 ? Math.min(s, 600) * 1000 : null;
}

async function fetchWithTimeout(deps: SubmitDeps, url: string, init: RequestInit): Promise<Response> {
  // AbortSignal.any and AbortSignal.timeout are too new for older school Chromebooks.
  const ctl = new AbortController();
  const onAbort = () => ctl.abort();
  deps.signal?.addEventListener('abort', onAbort);
  const timer = setTimeout(() => ctl.abort(), deps.timeoutMs ?? 20_000);
  try {
    return await deps.fetch(url, { ...init, signal: ctl.signal });
  } finally {
    clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onAbort);
  }
}

async function errorField(res: Response): Promise<string | null> {
  try {
    const body = (await res.json()) as { error?: { field?: unknown } };
    const field = body?.error?.field;
    return typeof field === 'string' ? field.replace(/^answers\./, '') : null;
  } catch {
    return null;
  }
}

/**
 * Sends one response until the server acknowledges it (201 new, 200 already stored: the same
 * submissionId makes a retry harmless). Network failures, timeouts, 429 and 5xx are retried with
 * backoff, forever; a refused answer (400 naming it) is left out and the rest sent again, so one
 * bad value never costs the whole response. 403, 404, 409 and 413 are final (sending the same
 * again cannot succeed).
 */
export async function submitUntilAcked(sub: Submission, deps: SubmitDeps): Promise<SubmitResult> {
  const answers: Answers = { ...sub.answers };
  const random = deps.random ?? Math.random;
  let failures = 0;
  const pause = async (reason: WaitReason, ms: number) => {
    deps.onWaiting?.(reason, ms);
    await deps.wait(ms);
  };
  for (;;) {
    if (deps.signal?.aborted) return { kind: 'aborted' };
    let res: Response;
    try {
      res = await fetchWithTimeout(deps, '/api/public/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...sub, answers }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      if (deps.signal?.aborted) return { kind: 'aborted' };
      failures++;
      await pause(deps.offline?.() ? 'offline' : 'server', backoffMs(failures, random));
      continue;
    }
    if (res.ok) return { kind: 'acked' };
    if (res.status === 404) return { kind: 'unknown_code' };
    if (res.status === 409) return { kind: 'conflict' };
    if (res.status === 413) return { kind: 'too_large' };
    if (res.status === 403) return { kind: 'forbidden' };
    if (res.status === 400) {
      const field = await errorField(res);
      if (field !== null && Object.hasOwn(answers, field)) {
        delete answers[field];
        deps.onAnswerDropped?.(field, { ...answers });
        continue;
      }
      return { kind: 'rejected' };
    }
    failures++;
    if (res.status === 429) await pause('busy', retryAfterMs(res) ?? backoffMs(failures, random));
    else await pause('server', backoffMs(failures, random));
  }
}

/** Says "no thanks" to the server (counted, nothing else); a few tries, then gives up quietly. */
export async function sendDecline(code: string, deps: Pick<SubmitDeps, 'fetch' | 'wait' | 'random'>): Promise<boolean> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await deps.fetch(`/api/public/surveys/${encodeURIComponent(code)}/decline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        credentials: 'omit',
      });
      if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) return res.ok;
    } catch {
      // offline: try again shortly
    }
    await deps.wait(backoffMs(attempt, deps.random));
  }
  return false;
}

/**
 * A wait that ends early when woken (the connection came back, or "try now"): `wait` for
 * submitUntilAcked.
 */
export function createWaiter(): { wait: (ms: number) => Promise<void>; wake: () => void } {
  let wakers: (() => void)[] = [];
  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakers = wakers.filter((w) => w !== done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.push(done);
      }),
    wake: () => {
      for (const w of [...wakers]) w();
    },
  };
}

export type SurveyLoad = { kind: 'ok'; survey: PublicSurvey } | { kind: 'unknown_code' } | { kind: 'unreachable' };

/** The survey behind a code, in `lang` when offered (else the administration's first language). */
export async function fetchSurvey(code: string, lang: LanguageCode | null, f: SubmitDeps['fetch'] = (u, i) => fetch(u, i)): Promise<SurveyLoad> {
  try {
    const res = await f(`/api/public/surveys/${encodeURIComponent(code)}${lang ? `?lang=${lang}` : ''}`, { credentials: 'omit', cache: 'no-store', headers: { accept: 'application/json' } });
    // 400: not even the shape of a code.
    if (res.status === 404 || res.status === 400) return { kind: 'unknown_code' };
    if (!res.ok) return { kind: 'unreachable' };
    return { kind: 'ok', survey: (await res.json()) as PublicSurvey };
  } catch {
    return { kind: 'unreachable' };
  }
}
