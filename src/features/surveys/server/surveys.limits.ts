import { AppError } from '../../../server/http/errors.js';

type Bucket = { tokens: number; at: number };

/** A token bucket per key that refills continuously; full buckets are forgotten, never all at once. */
function buckets(perMinute: number) {
  const map = new Map<string, Bucket>();
  const rate = perMinute / 60_000;
  let sweptAt = 0;
  return (key: string, message: string): void => {
    const now = Date.now();
    const b = map.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) throw new AppError('rate_limited', message, undefined, Math.ceil((1 - b.tokens) / rate / 1000));
    b.tokens -= 1;
    map.set(key, b);
    if (map.size > 100_000 && now - sweptAt > 10_000) {
      // Forget only buckets that have refilled (they would start full anyway), so a flood of
      // new keys cannot reset a busy one; at most every ten seconds, so a flood cannot make
      // every request sweep. Past a hard cap memory wins and all are forgotten.
      sweptAt = now;
      for (const [k, x] of map) if (x.tokens + (now - x.at) * rate >= perMinute) map.delete(k);
      if (map.size > 500_000) map.clear();
    }
  };
}

/**
 * Survey requests are limited per code, never per address: a whole school answers through one
 * open link, often behind one address. Codes that do not exist share one process-wide budget,
 * so guessing codes is slow whoever does it.
 */
export function codeLimiter(perMinute: number, unknownPerMinute = 600) {
  const known = buckets(perMinute);
  const unknown = buckets(unknownPerMinute);
  return {
    /** Before serving a code. */
    code: (code: string) => known(code, 'Many people are answering with this code right now. Wait a moment and try again.'),
    /** After a code turned out not to exist. */
    miss: () => unknown('unknown', 'Too many unknown codes were tried. Wait a moment and try again.'),
  };
}
