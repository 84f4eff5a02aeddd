/** `2026-11-25T16:38:23.412Z` → `2026-11-25 16:38 UTC`; anything unparsable is returned as given. */
export function formatUtc(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const text = new Date(time).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** How long before `now` the instant `since` was, coarsely (`3 d 4 h`, `25 min`); both ISO strings. */
export function formatAge(since: string, now: string): string {
  const ms = Date.parse(now) - Date.parse(since);
  if (Number.isNaN(ms) || ms < 0) return '';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
