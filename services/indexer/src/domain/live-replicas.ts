/** The replicas whose last heartbeat is recent enough, sorted; `self` is always live. */
export function liveReplicas(
  self: string,
  heartbeats: ReadonlyMap<string, number>,
  now: number,
  ttlMs: number,
): string[] {
  const live = new Set([self]);
  for (const [replica, at] of heartbeats) if (now - at <= ttlMs) live.add(replica);
  return [...live].sort();
}
