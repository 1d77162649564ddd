/** How texts are grouped for the model: at most `maxItems` per batch and `maxPaddedTokens` once padded. */
export interface BatchLimits {
  readonly maxItems: number;
  readonly maxPaddedTokens: number;
}

/**
 * Groups text indices into batches of similar token count, shortest first. A batch is padded to its
 * longest text, so sorting by tokens (not characters) wastes the least work, and a padded-token budget
 * lets many short texts share a batch while long ones go a few at a time.
 */
export function tokenBatches(tokenCounts: readonly number[], limits: BatchLimits): number[][] {
  const order = tokenCounts.map((_, index) => index).sort((a, b) => tokenCounts[a]! - tokenCounts[b]! || a - b);
  const batches: number[][] = [];
  let batch: number[] = [];
  for (const index of order) {
    // why: sorted ascending, so the newcomer is the batch's longest and sets its padded width.
    const width = tokenCounts[index]!;
    if (batch.length > 0 && (batch.length >= limits.maxItems || (batch.length + 1) * width > limits.maxPaddedTokens)) {
      batches.push(batch);
      batch = [];
    }
    batch.push(index);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
