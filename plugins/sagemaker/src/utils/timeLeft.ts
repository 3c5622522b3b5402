/**
 * The time from `now` until `endsAt` (ISO 8601) in words: `4 min 30 s left`,
 * `12 s left`, or `ending` once it is due.
 */
export function timeLeft(endsAt: string, now: number): string {
  const seconds = Math.ceil((Date.parse(endsAt) - now) / 1000);
  if (!(seconds > 0)) {
    return 'ending';
  }
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) {
    return `${rest} s left`;
  }
  return rest === 0 ? `${minutes} min left` : `${minutes} min ${rest} s left`;
}
