/** Delivery ids one container keeps to answer GitHub's "Redeliver" (same id) without a second start. */
const maxRemembered = 1000;

/** Adds a handled delivery id; past the limit the oldest is forgotten (a Set keeps insertion order). */
export function rememberDelivery(seen: Set<string>, delivery: string): void {
  if (delivery === '') return;
  seen.add(delivery);
  if (seen.size > maxRemembered) {
    const oldest = seen.values().next();
    if (oldest.done !== true) seen.delete(oldest.value);
  }
}
