import { describe, expect, it } from 'vitest';
import { backoffMs, codeFromPath, PROGRESS_TTL_MS, createWaiter, deviceStore, fetchSurvey, isCode, type KeyValue, newProgress, newSubmissionId, normalizeCode, preferredLanguage, sendDecline, type SubmitDeps, submitUntilAcked } from './store.js';

/** Web Storage in a Map, optionally failing like a full or disabled store. */
function memoryStorage(opts: { throws?: boolean } = {}): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  const guard = () => {
    if (opts.throws) throw new DOMException('QuotaExceededError');
  };
  return {
    map,
    getItem: (k) => (guard(), map.get(k) ?? null),
    setItem: (k, v) => (guard(), void map.set(k, v)),
    removeItem: (k) => (guard(), void map.delete(k)),
  };
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'network';

/** A fetch that answers from a script, one reply per call, and records what was sent. */
function fakeFetch(replies: Reply[]) {
  const calls: { url: string; body: Record<string, unknown> }[] = [];
  const fetch: SubmitDeps['fetch'] = async (url, init) => {
    calls.push({ url, body: init.body ? JSON.parse(String(init.body)) : null });
    const r = replies.shift() ?? { status: 500 };
    if (r === 'network') throw new TypeError('Failed to fetch');
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json', ...r.headers } });
  };
  return { fetch, calls };
}

/** Waits that return at once, recorded. */
function instantWaits() {
  const waits: number[] = [];
  return { waits, wait: async (ms: number) => void waits.push(ms) };
}

const submission = { code: 'ALDERCREEK', submissionId: '5f0c3a52-8f7e-4b7a-9d59-0d6a7c1e2b3f', language: 'fr' as const, answers: { belong_part: 4, grade: 'PNS', self_described_group: ['newcomer'] } };

describe('codes', () => {
  it('are read case-insensitively, with dashes and spaces ignored', () => {
    expect(normalizeCode(' alder-creek ')).toBe('ALDERCREEK');
    expect(normalizeCode('ab12-cd34')).toBe('AB12CD34');
    expect(isCode('AB12')).toBe(true);
    expect(isCode('AB1')).toBe(false);
    expect(isCode('AB_12')).toBe(false);
    expect(isCode('')).toBe(false);
  });

  it('come from the address: /s/<code>, or nothing for /s/', () => {
    expect(codeFromPath('/s/ab12-cd34')).toBe('AB12CD34');
    expect(codeFromPath('/s/ALDERCREEK/')).toBe('ALDERCREEK');
    expect(codeFromPath('/s/')).toBe('');
    expect(codeFromPath('/s')).toBe('');
    // A broken escape is no code, not a crash.
    expect(isCode(codeFromPath('/s/%E0%A4%A'))).toBe(false);
  });
});

describe('language', () => {
  it('takes the first of the browser languages the page speaks', () => {
    expect(preferredLanguage(['fr-CA', 'en-US'])).toBe('fr');
    expect(preferredLanguage(['de-DE', 'es-MX', 'en'])).toBe('es');
    expect(preferredLanguage(['de', 'pt-BR'])).toBeNull();
  });
});

describe('submissionId', () => {
  it('is a random v4 UUID, also without crypto.randomUUID (not a secure context)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newSubmissionId()).toMatch(uuid);
    const plain = { getRandomValues: <T extends ArrayBufferView | null>(a: T) => crypto.getRandomValues(a as Uint8Array) as unknown as T };
    const a = newSubmissionId(plain);
    expect(a).toMatch(uuid);
    expect(newSubmissionId(plain)).not.toBe(a);
  });

  it('has version nibble 4 and variant 8–b from the fallback, whatever the random bytes (the server takes v4 only)', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const filled = (byte: number) => ({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => ((a as Uint8Array).fill(byte), a) });
    expect(newSubmissionId(filled(0x00))).toBe('00000000-0000-4000-8000-000000000000');
    expect(newSubmissionId(filled(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    for (const byte of [0x0f, 0x30, 0x5a, 0xc3]) expect(newSubmissionId(filled(byte))).toMatch(v4);
    // Every variant digit comes up, and nothing else, over many random ids.
    const plain = { getRandomValues: <T extends ArrayBufferView | null>(a: T) => crypto.getRandomValues(a as Uint8Array) as unknown as T };
    const variants = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const id = newSubmissionId(plain);
      expect(id).toMatch(v4);
      variants.add(id[19]);
    }
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
  });
});

describe('the device store', () => {
  it('keeps a response in progress per code, and gives it back on return', () => {
    const local = memoryStorage();
    const store = deviceStore('ALDERCREEK', local, memoryStorage());
    expect(store.load()).toBeNull();
    const p = { ...newProgress('fr'), started: true, section: 'safety', answers: { belong_part: 4, grade: 'PNS' } };
    store.save(p);
    // A new page load (a reload, or the tab closed and opened again) reads the same.
    expect(deviceStore('ALDERCREEK', local, memoryStorage()).load()).toEqual(p);
    // Another code on the same device is another response.
    expect(deviceStore('OTHERCODE', local, memoryStorage()).load()).toBeNull();
    store.clear();
    expect(store.load()).toBeNull();
  });

  it('forgets progress left for more than a day (abandoned answers on a shared device)', () => {
    const local = memoryStorage();
    let now = Date.UTC(2026, 3, 14, 9);
    const clock = () => now;
    const p = { ...newProgress('en'), started: true, answers: { belong_part: 2 } };
    deviceStore('ALDERCREEK', local, null, clock).save(p);
    expect(JSON.parse(local.map.get('schoolwell.survey.ALDERCREEK')!).savedAt).toBe(now);
    now += PROGRESS_TTL_MS - 60_000;
    expect(deviceStore('ALDERCREEK', local, null, clock).load()).toEqual(p);
    // Each change starts the day again.
    deviceStore('ALDERCREEK', local, null, clock).save({ ...p, section: 'safety' });
    now += PROGRESS_TTL_MS - 60_000;
    expect(deviceStore('ALDERCREEK', local, null, clock).load()).toMatchObject({ section: 'safety' });
    // A pending send is kept over a short outage, but not past the day either.
    deviceStore('ALDERCREEK', local, null, clock).save({ ...p, sending: true });
    now += 3 * 3_600_000;
    expect(deviceStore('ALDERCREEK', local, null, clock).load()).toMatchObject({ sending: true });
    now += PROGRESS_TTL_MS;
    expect(deviceStore('ALDERCREEK', local, null, clock).load()).toBeNull();
    expect(local.map.has('schoolwell.survey.ALDERCREEK')).toBe(false);
  });

  it('gives progress saved before times were stored a day from now', () => {
    const local = memoryStorage();
    let now = 1_800_000_000_000;
    const clock = () => now;
    local.map.set('schoolwell.survey.ALDERCREEK', JSON.stringify({ ...newProgress('fr'), answers: { q: 1 } }));
    expect(deviceStore('ALDERCREEK', local, null, clock).load()).toMatchObject({ answers: { q: 1 } });
    expect(JSON.parse(local.map.get('schoolwell.survey.ALDERCREEK')!).savedAt).toBe(now);
    now += PROGRESS_TTL_MS + 1;
    expect(deviceStore('ALDERCREEK', local, null, clock).load()).toBeNull();
  });

  it('ignores what it cannot read (another version, a broken value) instead of failing', () => {
    const local = memoryStorage();
    local.map.set('schoolwell.survey.ALDERCREEK', '{not json');
    expect(deviceStore('ALDERCREEK', local, null).load()).toBeNull();
    local.map.set('schoolwell.survey.ALDERCREEK', JSON.stringify({ v: 2, submissionId: 'x', answers: {} }));
    expect(deviceStore('ALDERCREEK', local, null).load()).toBeNull();
    local.map.set('schoolwell.survey.ALDERCREEK', JSON.stringify({ v: 1, submissionId: 'x', answers: { q: 1 }, language: 'de', sending: 'yes' }));
    expect(deviceStore('ALDERCREEK', local, null).load()).toMatchObject({ language: null, sending: false, started: false, section: null, answers: { q: 1 } });
  });

  it('works from memory when storage is missing or throws (private browsing, a full disk)', () => {
    for (const store of [deviceStore('ALDERCREEK', null, null), deviceStore('ALDERCREEK', memoryStorage({ throws: true }), memoryStorage({ throws: true }))]) {
      expect(() => store.save(newProgress())).not.toThrow();
      expect(store.load()).toBeNull();
      expect(() => store.clear()).not.toThrow();
      expect(store.tabFlag('done')).toBeNull();
      expect(() => store.setTabFlag('done', 'fr')).not.toThrow();
    }
  });

  it('keeps tab marks in the tab only: the next person opening the link in a new tab starts fresh', () => {
    const local = memoryStorage();
    const tab1 = memoryStorage();
    const store = deviceStore('ALDERCREEK', local, tab1);
    store.setTabFlag('done', 'fr');
    expect(store.tabFlag('done')).toBe('fr');
    expect(deviceStore('ALDERCREEK', local, memoryStorage()).tabFlag('done')).toBeNull();
    store.setTabFlag('done', null);
    expect(store.tabFlag('done')).toBeNull();
  });

  it('stores nothing but the answers, the page, the language, a random id and when it was saved', () => {
    const local = memoryStorage();
    deviceStore('ALDERCREEK', local, null).save({ ...newProgress('es'), answers: { q1: 2 } });
    expect(Object.keys(JSON.parse(local.map.get('schoolwell.survey.ALDERCREEK')!)).sort()).toEqual(['answers', 'language', 'savedAt', 'section', 'sending', 'started', 'submissionId', 'v']);
  });
});

describe('backoff', () => {
  it('doubles from about a second to at most a minute, with jitter', () => {
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(7, () => 1)).toBe(60_000);
    expect(backoffMs(30, () => 1)).toBe(60_000);
    expect(backoffMs(30, () => 0)).toBe(30_000);
  });
});

describe('submitting until acknowledged', () => {
  it('sends the code, submissionId, language and answers once when the server takes them', async () => {
    const { fetch, calls } = fakeFetch([{ status: 201, body: { ok: true, submissionId: submission.submissionId } }]);
    const { wait, waits } = instantWaits();
    expect(await submitUntilAcked(submission, { fetch, wait })).toEqual({ kind: 'acked' });
    expect(calls).toEqual([{ url: '/api/public/responses', body: submission }]);
    expect(waits).toEqual([]);
  });

  it('retries with the same submissionId through network failures, 5xx and 429 until a 2xx, waiting longer each time', async () => {
    const { fetch, calls } = fakeFetch(['network', 'network', { status: 503 }, { status: 429, headers: { 'retry-after': '7' } }, { status: 500 }, { status: 200, body: { ok: true, submissionId: submission.submissionId } }]);
    const { wait, waits } = instantWaits();
    const reasons: string[] = [];
    const result = await submitUntilAcked(submission, { fetch, wait, random: () => 1, offline: () => calls.length <= 2, onWaiting: (r) => void reasons.push(r) });
    expect(result).toEqual({ kind: 'acked' });
    expect(calls).toHaveLength(6);
    expect(new Set(calls.map((c) => c.body.submissionId))).toEqual(new Set([submission.submissionId]));
    // 1 s, 2 s, 4 s; then the server's own Retry-After; then 16 s.
    expect(waits).toEqual([1000, 2000, 4000, 7000, 16_000]);
    expect(reasons).toEqual(['offline', 'offline', 'server', 'busy', 'server']);
  });

  it('gives up on a request that hangs, and tries again', async () => {
    let n = 0;
    const fetch: SubmitDeps['fetch'] = (_url, init) =>
      ++n === 1
        ? new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
        : Promise.resolve(new Response('{"ok":true}', { status: 201 }));
    const { wait, waits } = instantWaits();
    expect(await submitUntilAcked(submission, { fetch, wait, timeoutMs: 20 })).toEqual({ kind: 'acked' });
    expect(n).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('leaves out an answer the server refuses (400 naming it) and sends the rest, so one bad value never costs the response', async () => {
    const { fetch, calls } = fakeFetch([{ status: 400, body: { error: { code: 'validation_failed', message: 'x', field: 'grade' } } }, { status: 201, body: { ok: true } }]);
    const dropped: string[] = [];
    const result = await submitUntilAcked(submission, { fetch, ...instantWaits(), onAnswerDropped: (slot) => void dropped.push(slot) });
    expect(result).toEqual({ kind: 'acked' });
    expect(dropped).toEqual(['grade']);
    expect(calls[1].body.answers).toEqual({ belong_part: 4, self_described_group: ['newcomer'] });
    expect(calls[1].body.submissionId).toBe(submission.submissionId);
  });

  it('stops on a 400 it cannot fix, a failed origin check (403), an unknown code (404), a used code or closed survey (409), or answers too large (413)', async () => {
    const cases: [Reply, string][] = [
      [{ status: 403, body: { error: { code: 'forbidden', message: 'x' } } }, 'forbidden'],
      [{ status: 413, body: { error: { code: 'payload_too_large', message: 'x' } } }, 'too_large'],
      [{ status: 413 }, 'too_large'],
      [{ status: 400, body: { error: { code: 'bad_request', message: 'x', field: 'language' } } }, 'rejected'],
      [{ status: 400, body: 'not json' }, 'rejected'],
      [{ status: 404, body: { error: { code: 'not_found', message: 'x' } } }, 'unknown_code'],
      [{ status: 409, body: { error: { code: 'conflict', message: 'x', field: 'code' } } }, 'conflict'],
    ];
    for (const [reply, kind] of cases) {
      const { fetch, calls } = fakeFetch([reply]);
      expect(await submitUntilAcked(submission, { fetch, ...instantWaits() })).toEqual({ kind });
      expect(calls).toHaveLength(1);
    }
  });

  it('stops when aborted, between tries', async () => {
    const ctl = new AbortController();
    const { fetch } = fakeFetch(['network', 'network']);
    const result = await submitUntilAcked(submission, { fetch, wait: async () => ctl.abort(), signal: ctl.signal });
    expect(result).toEqual({ kind: 'aborted' });
  });

  it('sends no cookies and nothing but the response', async () => {
    let init: RequestInit | undefined;
    await submitUntilAcked(submission, { fetch: async (_u, i) => ((init = i), new Response('{}', { status: 201 })), ...instantWaits() });
    expect(init?.credentials).toBe('omit');
    expect(Object.keys(JSON.parse(String(init?.body))).sort()).toEqual(['answers', 'code', 'language', 'submissionId']);
  });
});

describe('the waiter', () => {
  it('ends a wait early when woken (the connection came back, or "try now")', async () => {
    const waiter = createWaiter();
    const started = Date.now();
    const waiting = waiter.wait(60_000);
    waiter.wake();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
    // A timer that runs out ends it too.
    await waiter.wait(5);
  });
});

describe('declining', () => {
  it('posts the code once, and tries a few times only when offline', async () => {
    const ok = fakeFetch([{ status: 200, body: { ok: true } }]);
    expect(await sendDecline('ALDERCREEK', { fetch: ok.fetch, ...instantWaits() })).toBe(true);
    expect(ok.calls).toEqual([{ url: '/api/public/surveys/ALDERCREEK/decline', body: { code: 'ALDERCREEK' } }]);
    const down = fakeFetch(['network', 'network', 'network', 'network']);
    expect(await sendDecline('ALDERCREEK', { fetch: down.fetch, ...instantWaits() })).toBe(false);
    expect(down.calls).toHaveLength(3);
  });
});

describe('loading a survey', () => {
  it('asks in the wanted language and tells an unknown code from a network problem', async () => {
    const survey = { state: 'open', code: 'ALDERCREEK', language: 'fr' };
    const found = fakeFetch([{ status: 200, body: survey }]);
    expect(await fetchSurvey('ALDERCREEK', 'fr', found.fetch)).toEqual({ kind: 'ok', survey });
    expect(found.calls[0].url).toBe('/api/public/surveys/ALDERCREEK?lang=fr');
    const noLang = fakeFetch([{ status: 200, body: survey }]);
    await fetchSurvey('ALDERCREEK', null, noLang.fetch);
    expect(noLang.calls[0].url).toBe('/api/public/surveys/ALDERCREEK');
    expect(await fetchSurvey('NOPE', 'en', fakeFetch([{ status: 404, body: { error: {} } }]).fetch)).toEqual({ kind: 'unknown_code' });
    expect(await fetchSurvey('ALDERCREEK', 'en', fakeFetch(['network']).fetch)).toEqual({ kind: 'unreachable' });
    expect(await fetchSurvey('ALDERCREEK', 'en', fakeFetch([{ status: 429 }]).fetch)).toEqual({ kind: 'unreachable' });
  });
});
