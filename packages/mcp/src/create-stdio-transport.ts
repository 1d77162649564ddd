import type { Readable, Writable } from 'node:stream';
import {
  parseJSONRPCMessage,
  ProtocolErrorCode,
  serializeMessage,
  STDIO_DEFAULT_MAX_BUFFER_SIZE,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';

/** Where a stdio transport reads and writes, and the longest line it accepts. */
export interface StdioTransportOptions {
  readonly input?: Readable;
  readonly output?: Writable;
  /** The longest message line, in bytes without its newline; a longer one is discarded and answered with an error. */
  readonly maxLineBytes?: number;
}

/** An MCP stdio transport that also says when it has closed, whatever closed it (end of input, an error, or close()). */
export interface StdioTransport extends Transport {
  readonly closed: Promise<void>;
}

const NEWLINE = 0x0a;

/**
 * MCP over newline-delimited JSON on stdin/stdout, for `serveStdio({ transport })`. Unlike the SDK's own transport,
 * which closes itself and stops reading when a line outgrows its buffer (leaving a server that neither answers nor
 * notices the end of its input), a line over the limit is discarded up to its newline and answered with an Invalid
 * Request error (id null), a line that is not JSON with a Parse error, and the session goes on. Input is read until
 * it ends, so the end is always seen.
 */
export function createStdioTransport(options: StdioTransportOptions = {}): StdioTransport {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const maxLineBytes = options.maxLineBytes ?? STDIO_DEFAULT_MAX_BUFFER_SIZE;
  // why: a line's bytes are kept only up to the limit; past it nothing of the line is kept, so memory stays bounded.
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let discarding = false;
  let started = false;
  let isClosed = false;
  let markClosed = (): void => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const write = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (isClosed) return reject(new Error('the stdio transport is closed'));
      if (output.write(line)) return resolve();
      const settle = (error?: Error): void => {
        output.off('drain', settle);
        output.off('error', settle);
        if (error) reject(error);
        else resolve();
      };
      output.once('drain', settle);
      output.once('error', settle);
    });
  const refuse = (code: ProtocolErrorCode, message: string, id: string | number | null = null): void => {
    write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`).catch((error: unknown) =>
      transport.onerror?.(asError(error)),
    );
  };
  const receive = (line: Buffer): void => {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return refuse(ProtocolErrorCode.ParseError, 'Parse error: a line is not JSON');
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch {
      return refuse(
        ProtocolErrorCode.InvalidRequest,
        'Invalid Request: not a JSON-RPC 2.0 message',
        requestIdOf(value),
      );
    }
    transport.onmessage?.(message);
  };
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < bytes.length && !isClosed) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      if (discarding) {
        discarding = newline === -1;
      } else if (pieceBytes + (end - start) > maxLineBytes) {
        pieces = [];
        pieceBytes = 0;
        discarding = newline === -1;
        refuse(ProtocolErrorCode.InvalidRequest, `Invalid Request: a message over ${maxLineBytes} bytes was discarded`);
      } else if (newline === -1) {
        pieces.push(bytes.subarray(start));
        pieceBytes += end - start;
      } else {
        const line =
          pieces.length === 0 ? bytes.subarray(start, end) : Buffer.concat([...pieces, bytes.subarray(start, end)]);
        pieces = [];
        pieceBytes = 0;
        receive(line);
      }
      if (newline === -1) break;
      start = newline + 1;
    }
  };
  const onEnd = (): void => void transport.close();
  const onInputError = (error: Error): void => {
    transport.onerror?.(error);
    void transport.close();
  };
  // why: stays attached after close, so a late write failure (the client has gone) is never an unhandled 'error'.
  const onOutputError = (error: Error): void => {
    if (isClosed) return;
    transport.onerror?.(error);
    void transport.close();
  };

  const transport: StdioTransport = {
    closed,
    async start() {
      if (started) throw new Error('the stdio transport is already started');
      started = true;
      output.on('error', onOutputError);
      input.on('data', onData);
      input.on('end', onEnd);
      input.on('close', onEnd);
      input.on('error', onInputError);
      if (input.readableEnded || input.destroyed) setImmediate(onEnd);
    },
    send: (message) => write(serializeMessage(message)),
    async close() {
      if (isClosed) return;
      isClosed = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('close', onEnd);
      input.off('error', onInputError);
      input.pause();
      pieces = [];
      try {
        transport.onclose?.();
      } finally {
        markClosed();
      }
    },
  };
  return transport;
}

// why: an invalid request is answered under its own id when it has one, so the client can match the error to it.
function requestIdOf(value: unknown): string | number | null {
  if (typeof value !== 'object' || value === null || !('method' in value) || !('id' in value)) return null;
  return typeof value.id === 'string' || typeof value.id === 'number' ? value.id : null;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
