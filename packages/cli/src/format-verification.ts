import type { ChainProblem, ChainVerification } from '@conexus/audit';

const SHOWN_PER_KIND = 20;
const LABELS = { missing: 'missing', out_of_order: 'out of order', altered: 'altered' } as const;

/**
 * The one-line summary `conexus audit verify` prints, naming every problem seq (up to 20 per kind) and a cut
 * tail apart from tampering inside the chain. `headChecked` false notes that no head vouched for the tail.
 */
export function formatVerification(result: ChainVerification, allowExpired: boolean, headChecked = true): string {
  const span =
    result.firstSeq === null ? 'no records' : `${result.checked} records, seq ${result.firstSeq}-${result.lastSeq}`;
  if (result.ok) {
    const expired =
      allowExpired && result.firstSeq !== null && result.firstSeq > 1
        ? ` (seq 1-${result.firstSeq - 1} expired under retention)`
        : '';
    const unanchored =
      headChecked || result.checked === 0
        ? ''
        : ' (no head to check the tail against: records cut from the end would not show)';
    return `audit log intact: ${span}${expired}${unanchored}\n`;
  }
  const kinds = (Object.keys(LABELS) as (keyof typeof LABELS)[])
    .map((kind) => [kind, result.problems.filter((problem) => problem.problem === kind)] as const)
    .filter(([, problems]) => problems.length > 0)
    .map(([kind, problems]) => `${LABELS[kind]} seq ${listSeqs(problems)}`);
  const truncated = result.problems.find((problem) => problem.problem === 'truncated');
  if (truncated) kinds.push(describeTruncation(truncated));
  return `audit log NOT intact: ${kinds.join('; ')} (checked ${span})\n`;
}

function listSeqs(problems: readonly ChainProblem[]): string {
  const shown = problems
    .slice(0, SHOWN_PER_KIND)
    .map(({ seq, count }) => (count && count > 1 ? `${seq}-${seq + count - 1}` : `${seq}`));
  const more = problems.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** "truncated after seq N: seq N+1-M missing, expected head M:HASH" (the head's form that --head takes). */
function describeTruncation({ seq, count = 1, headHash }: ChainProblem): string {
  const last = seq + count - 1;
  const after = seq > 1 ? ` after seq ${seq - 1}` : '';
  return `truncated${after}: seq ${count > 1 ? `${seq}-${last}` : seq} missing${headHash ? `, expected head ${last}:${headHash}` : ''}`;
}
