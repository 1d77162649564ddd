/** What a file is for, as far as its path tells: source, test, docs, config, fixture or example. */
export type FileRole = 'source' | 'test' | 'docs' | 'config' | 'fixture' | 'example';

const TEST_PATH =
  /(^|\/)(tests?|__tests__|spec|specs|testing|testdata)\/|(^|\/)(test_[^/]*|[^/]*_test\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|[^/]*\.\w*test|conftest\.py)$/i;
const DOCS_PATH = /(^|\/)(docs?|documentation)\/|\.(md|rst|txt|adoc)$/i;
const CONFIG_PATH =
  /(^|\/)\.(github|circleci|gitlab|binder|devcontainer)\/|(^|\/)(ci|\.ci)\/|\.(ya?ml|json|toml|ini|cfg|conf|ipynb|xml|properties|env)$/i;
const FIXTURE_PATH = /(^|\/)(fixtures?|__fixtures__|__snapshots__|mocks?|__mocks__)\//i;
const EXAMPLE_PATH = /(^|\/)(examples?|samples?|demos?|benchmarks?|bench)\//i;

/** Classifies a repository path by its role. */
export function fileRole(path: string): FileRole {
  if (FIXTURE_PATH.test(path)) return 'fixture';
  if (TEST_PATH.test(path)) return 'test';
  if (DOCS_PATH.test(path)) return 'docs';
  if (CONFIG_PATH.test(path)) return 'config';
  if (EXAMPLE_PATH.test(path)) return 'example';
  return 'source';
}
