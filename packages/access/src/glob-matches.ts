const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 4096;

/** Whether a glob matches a whole path: `**` spans segments (`**\/` zero or more of them), `*` and `?` stay within one. */
export function globMatches(glob: string, path: string): boolean {
  let pattern = compiled.get(glob);
  if (!pattern) {
    pattern = compileGlob(glob);
    // why: globs come from a bounded rule set; the cap only guards against a caller passing request data.
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(glob, pattern);
  }
  return pattern.test(path);
}

function compileGlob(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      pattern += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`, 's');
}
