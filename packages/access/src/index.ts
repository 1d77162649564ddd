export { isCanonicalPath } from './canonical-path.js';
export { globMatches } from './glob-matches.js';
export {
  EVERYTHING,
  NOTHING,
  pathReadable,
  readableRepos,
  repoReader,
  repoVisible,
  type PathRule,
  type ReadScope,
  type RepoRule,
} from './read-scope.js';
export { formatPrincipal, LOCAL_USER, parsePrincipal, type Principal } from './principal.js';
