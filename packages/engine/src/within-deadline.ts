import { ConexusError } from '@conexus/kernel';

/**
 * Settles with `work`, or fails `deadline_exceeded` at `deadline` (milliseconds since the epoch) if that comes first;
 * the work itself is left to finish. Without a deadline it is `work`.
 */
export async function withinDeadline<T>(work: Promise<T>, deadline: number | undefined, what: string): Promise<T> {
  if (deadline === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConexusError('deadline_exceeded', `${what} ran out of time`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
