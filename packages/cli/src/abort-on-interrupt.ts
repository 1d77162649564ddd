/** A command's stop on Ctrl-C: the signal its engine run watches, and the handler to remove when it is done. */
export interface InterruptStop {
  readonly signal: AbortSignal;
  readonly dispose: () => void;
}

/**
 * The first Ctrl-C (SIGINT) aborts the signal and says `notice`; a second one, or a run still going `graceMs` after
 * the first, exits 130 at once.
 */
export function abortOnInterrupt(notice: string, graceMs = 1_500): InterruptStop {
  const controller = new AbortController();
  let grace: NodeJS.Timeout | undefined;
  const exit = (): never => {
    // why: SQLite commits are atomic, so leaving mid-run keeps the last committed snapshot as it was.
    process.stderr.write('conexus: stopped\n');
    process.exit(130);
  };
  const onInterrupt = (): void => {
    if (controller.signal.aborted) exit();
    // why: on a terminal the notice replaces the progress line rather than running into it.
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}conexus: ${notice}\n`);
    controller.abort();
    grace = setTimeout(exit, graceMs);
    grace.unref();
  };
  process.on('SIGINT', onInterrupt);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInterrupt);
      clearTimeout(grace);
    },
  };
}
