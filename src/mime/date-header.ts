/** RFC 5322 date-time in UTC: `Fri, 02 Jan 2026 03:04:05 +0000`. */
export function formatMailDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
