import { IndexState, type IndexEvent, type IndexProgress } from '@conexus/api';
import { showControls, showName } from '@conexus/kernel';

/** The repository an MCP server was started for: its name and the folder it was indexed from. */
export interface McpProject {
  readonly repo: string;
  readonly root: string;
}

/** What an answer says first while the project's index is not complete, and whether its results may be missing some. */
export interface IndexNotice {
  readonly text: string;
  readonly incomplete: boolean;
}

/** Percent done (0-100, rounded down) of a state's progress; undefined while its total is not known. */
export function percentDone(progress: IndexProgress | undefined): number | undefined {
  if (!progress || progress.total === 0) return undefined;
  return Math.min(100, Math.floor((100 * progress.done) / progress.total));
}

/**
 * The notice for the project's latest index event: "indexing DIR, 40 %: results may be incomplete" while files are
 * read, "lexical results; embeddings 40 %" while vectors are computed, why it failed; null once done (or unknown).
 */
export function indexNotice(event: IndexEvent | undefined, project: McpProject): IndexNotice | null {
  if (!event) return null;
  const percent = percentDone(event.progress);
  const shown = percent === undefined ? '' : `, ${percent} %`;
  const root = showName(project.root);
  switch (event.state) {
    case IndexState.QUEUED:
    case IndexState.FETCHING:
    case IndexState.INDEXING:
      return { text: `indexing ${root}${shown}: results may be incomplete`, incomplete: true };
    case IndexState.EMBEDDING:
      return {
        text: `lexical results; embeddings ${percent === undefined ? 'in progress' : `${percent} %`}`,
        incomplete: false,
      };
    case IndexState.FAILED:
      return {
        text: `indexing ${root} failed (${showControls(event.error)}): results are from its last complete index, if any`,
        incomplete: true,
      };
    default:
      return null;
  }
}

/** Prefixes an answer's text with the notice, if there is one. */
export function withNotice(notice: IndexNotice | null, text: string): string {
  return notice ? `(${notice.text})\n\n${text}` : text;
}
