/**
 * Wall-clock times in a chosen time zone, as the set-up form sends them ("2026-10-05T08:00") and
 * as the pages show an administration's window: always in the administration's own zone, so a
 * coordinator travelling elsewhere reads the same times as the school.
 */

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows, with UTC and the given ones, sorted. */
export function timeZoneOptions(...include: string[]): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', ...include.filter(Boolean)])].sort();
}

/** The wall-clock time of an instant in a zone, as a `datetime-local` input holds it. */
export function toLocalInput(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** A day `days` from today at `hour`:00, on the clock of the zone. */
export function dayAt(days: number, hour: number, timeZone: string): string {
  const day = toLocalInput(new Date(Date.now() + days * 86_400_000), timeZone).slice(0, 10);
  return `${day}T${String(hour).padStart(2, '0')}:00`;
}

/** An instant shown in a zone, in the reader's language, with the zone's short name. */
export function formatInZone(iso: string, timeZone: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

/** A calendar day ("2026-10-05") in the reader's language. */
export function formatDay(day: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(`${day}T00:00:00Z`));
}
