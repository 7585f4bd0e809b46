// Time as officers use it: the local time on the 24-hour clock, with the
// date in the language's order (day before month; English is British
// English, as in NATO's working documents), beside the date-time group in
// Zulu time that partners in other time zones quote; the full UTC instant
// on hover.

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-03-14 09:05:07 UTC": unambiguous across partners' time zones. */
export function utcText(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * The date-time group in Zulu time, "140905Z MAR 25": day, hours and minutes
 * (UTC), the month's English abbreviation and the year's last two digits, as
 * military messages quote it in every partner's language.
 */
export function dtgText(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z ` +
    `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear() % 100)}`
  );
}

/** English dates read day before month (en-GB); other languages keep theirs. */
function dateLocale(locale: string): string {
  return locale.toLowerCase().startsWith('en') ? 'en-GB' : locale;
}

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, style: 'time' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let f = cache.get(key);
  if (!f) {
    // `hourCycle` rather than `hour12: false`: the latter gives "24:05"
    // after midnight in some engines.
    f =
      style === 'time'
        ? new Intl.DateTimeFormat(dateLocale(locale), {
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          })
        : new Intl.DateTimeFormat(dateLocale(locale), {
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          });
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
