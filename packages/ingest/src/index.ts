export { classifyContent } from './classify-content.js';
export { classifyPath } from './classify-path.js';
export { listRepoFiles, type RepoListing } from './list-repo-files.js';
export {
  DEFAULT_MAX_FILE_BYTES,
  scanRepo,
  type KnownFile,
  type RepoScan,
  type ScanOptions,
  type ScannedFile,
  type SkippedFile,
} from './scan-repo.js';
export { SKIP_REASONS, type SkipReason } from './skip-reason.js';
