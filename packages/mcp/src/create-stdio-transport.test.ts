import { PassThrough } from 'node:stream';
import { expect, it } from '@jest/globals';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { createStdioTransport } from './create-stdio-transport.js';

async function started(maxLineBytes = 64) {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = createStdioTransport({ input, output, maxLineBytes });
  const received: JSONRPCMessage[] = [];
  let closes = 0;
  transport.onmessage = (message) => received.push(message);
  transport.onclose = () => closes++;
  await transport.start();
  const written = (): unknown[] =>
    String(output.read() ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as unknown);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { input, transport, received, written, settle, closes: () => closes };
}

const ping = (id: number) => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`;

it('delivers lines split across chunks and ending in CRLF', async () => {
  const { input, received, settle } = await started();
  const line = ping(1);
  input.write(line.slice(0, 10));
  input.write(`${line.slice(10, -1)}\r\n\n${ping(2)}`);
  await settle();
  expect(received).toEqual([
    { jsonrpc: '2.0', id: 1, method: 'ping' },
    { jsonrpc: '2.0', id: 2, method: 'ping' },
  ]);
});

it('discards a line over the limit up to its newline, answers an error, and goes on', async () => {
  const { input, received, written, settle } = await started();
  input.write('{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"');
  input.write('x'.repeat(100));
  await settle();
  expect(written()).toEqual([
    {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Invalid Request: a message over 64 bytes was discarded' },
    },
  ]);
  input.write('x'.repeat(1000));
  input.write(`"}}\n${ping(3)}`);
  await settle();
  expect(received).toEqual([{ jsonrpc: '2.0', id: 3, method: 'ping' }]);
  expect(written()).toEqual([]);
});

it('answers a line that is not JSON, or not JSON-RPC, and goes on', async () => {
  const { input, received, written, settle } = await started();
  input.write(`not json\n${JSON.stringify({ jsonrpc: '2.0', id: 'a', method: 7 })}\n[1]\n${ping(4)}`);
  await settle();
  expect(written()).toEqual([
    { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: a line is not JSON' } },
    { jsonrpc: '2.0', id: 'a', error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' } },
    { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' } },
  ]);
  expect(received).toEqual([{ jsonrpc: '2.0', id: 4, method: 'ping' }]);
});

it('closes once when its input ends, even in the middle of a line over the limit', async () => {
  const { input, transport, closes, settle } = await started();
  input.write('x'.repeat(100));
  input.end('x'.repeat(100));
  await transport.closed;
  await transport.close();
  await settle();
  expect(closes()).toBe(1);
  await expect(transport.send({ jsonrpc: '2.0', id: 1, result: {} })).rejects.toThrow('closed');
});

it('writes what it sends as one line of JSON', async () => {
  const { transport, written } = await started();
  await transport.send({ jsonrpc: '2.0', id: 5, result: { text: 'a\nb' } });
  expect(written()).toEqual([{ jsonrpc: '2.0', id: 5, result: { text: 'a\nb' } }]);
});
