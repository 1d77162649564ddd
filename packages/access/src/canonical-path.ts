/** Whether a repository path is in the one form the index stores: relative, `/`-separated, no empty, `.` or `..` segments. */
export function isCanonicalPath(path: string): boolean {
  if (path.length === 0 || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
