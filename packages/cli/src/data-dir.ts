import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data directory: the flag, else CONEXUS_DATA_DIR, else the per-user default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.CONEXUS_DATA_DIR) return env.CONEXUS_DATA_DIR;
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'conexus');
}
