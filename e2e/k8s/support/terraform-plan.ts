/** The parts of `terraform show -json PLAN` the tests read. */
export interface TerraformPlan {
  resource_changes?: ResourceChange[];
}

/** One resource's planned change. */
export interface ResourceChange {
  address: string;
  change: { actions: string[]; before: unknown; after: unknown };
}

/** The resource changes that do something (every action but no-op and read). */
export function pendingChanges(plan: TerraformPlan): ResourceChange[] {
  return (plan.resource_changes ?? []).filter((change) =>
    change.change.actions.some((action) => action !== 'no-op' && action !== 'read'),
  );
}

/** Dotted paths of the leaves that differ between two JSON-like values, sorted. */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const bothObjects =
    typeof before === 'object' &&
    before !== null &&
    typeof after === 'object' &&
    after !== null &&
    Array.isArray(before) === Array.isArray(after);
  if (!bothObjects) return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .flatMap((key) =>
      changedPaths(
        (before as Record<string, unknown>)[key],
        (after as Record<string, unknown>)[key],
        prefix ? `${prefix}.${key}` : key,
      ),
    )
    .sort();
}
