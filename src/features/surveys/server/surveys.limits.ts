import { AppError } from '../../../server/http/errors.js';

/**
 * Survey requests are limited per code, never per address: a whole school answers through one
 * open link, often behind one address. A token bucket per code refills continuously.
 */
export function codeLimiter(perMinute: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000;
  return (code: string): void => {
    const now = Date.now();
    const b = buckets.get(code) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) throw new AppError('rate_limited', 'Many people are answering with this code right now. Wait a moment and try again.', undefined, Math.ceil((1 - b.tokens) / rate / 1000));
    b.tokens -= 1;
    if (buckets.size > 100_000) buckets.clear();
    buckets.set(code, b);
  };
}
