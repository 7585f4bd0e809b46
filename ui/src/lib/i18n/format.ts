// Dates in the user's locale, and the same instant in UTC for coordinating
// across time zones (shown on hover).

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-03-14 09:05:07 UTC": unambiguous across partners' time zones. */
export function utcText(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, style: 'time' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let f = cache.get(key);
  if (!f) {
    f =
      style === 'time'
        ? new Intl.DateTimeFormat(locale, { timeStyle: 'short' })
        : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    cache.set(key, f);
  }
  return f;
}

/** Local time only when `ms` is today, date and time otherwise. */
export function localText(ms: number, locale: string, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  const sameDay =
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate();
  return formatter(locale, sameDay ? 'time' : 'dateTime').format(d);
}

/** Full local date and time. */
export function localDateTime(ms: number, locale: string): string {
  return formatter(locale, 'dateTime').format(new Date(ms));
}
