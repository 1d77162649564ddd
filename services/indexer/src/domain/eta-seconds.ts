/** Seconds left to finish `total` items at `perSecond`, having done `done`; 0 while the total or the rate is unknown. */
export function etaSeconds(done: number, total: number, perSecond: number): number {
  if (total <= 0 || perSecond <= 0) return 0;
  return Math.max(0, total - done) / perSecond;
}
