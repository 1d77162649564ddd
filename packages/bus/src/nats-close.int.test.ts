import { afterAll, expect, it } from '@jest/globals';
import { useNatsServer } from '@conexus/testkit';
import { connectNatsBus, type NatsBus } from './index.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const read = (data: Uint8Array): string => new TextDecoder().decode(data);
const buses: NatsBus[] = [];
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
});
const nats = useNatsServer();
const open = async (name: string): Promise<NatsBus> => {
  const bus = await connectNatsBus({ servers: nats.url, name });
  buses.push(bus);
  return bus;
};

it('closing answers the requests it already took, even those that still ask others, and takes no new ones', async () => {
  const caller = await open('caller');
  const stopping = await open('stopping');
  const staying = await open('staying');
  const downstream = await open('downstream');
  downstream.respond('svc.ping', async () => text('pong'));
  downstream.respond('svc.down', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return text('down');
  });
  let took: () => void;
  const taken = new Promise<void>((resolve) => (took = resolve));
  stopping.respond(
    'svc.mid',
    async () => {
      took();
      const reply = await stopping.request('svc.down', text('?'), { timeoutMs: 5_000 });
      return text(`stopping+${read(reply.data)}`);
    },
    'mid',
  );
  // why: the server handles a connection's messages in order, so once this answer is back it has the subscription.
  await stopping.request('svc.ping', text('?'), { timeoutMs: 5_000 });
  const inFlight = caller.request('svc.mid', text('?'), { timeoutMs: 5_000 });
  await taken;
  staying.respond('svc.mid', async () => text('staying'), 'mid');
  await staying.request('svc.ping', text('?'), { timeoutMs: 5_000 });
  const closed = stopping.close();
  const later = caller.request('svc.mid', text('?'), { timeoutMs: 5_000 });
  expect(read((await inFlight).data)).toBe('stopping+down');
  expect(read((await later).data)).toBe('staying');
  await closed;
});
