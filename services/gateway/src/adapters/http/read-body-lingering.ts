import type { Readable } from 'node:stream';

/**
 * The request body as chunks; a reader that stops early (a body over the size limit) leaves the rest to be read and
 * dropped instead of destroying the request, so the client, still sending, can read the refusal (a lingering close;
 * the listener's request timeout bounds how long a client may go on sending).
 */
export async function* readBodyLingering(request: Readable): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    for (;;) {
      const chunk = request.read() as Buffer | null;
      if (chunk !== null) {
        yield chunk;
        continue;
      }
      if (request.readableEnded || request.destroyed) {
        ended = true;
        if (request.errored) throw request.errored;
        return;
      }
      await nextEvent(request);
    }
  } finally {
    if (!ended) request.resume();
  }
}

function nextEvent(request: Readable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      request.off('readable', done);
      request.off('end', done);
      request.off('error', done);
      request.off('close', done);
      resolve();
    };
    request.once('readable', done);
    request.once('end', done);
    request.once('error', done);
    request.once('close', done);
  });
}
