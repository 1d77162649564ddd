/** `?,?,…`: one SQL parameter placeholder per value of an IN list. */
export function placeholders(count: number): string {
  return new Array(count).fill('?').join(',');
}
