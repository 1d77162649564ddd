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

it('closing answers the requests it already took, even those that still ask others; then the group takes new ones', async () => {
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
  // why: the server handles a connection's messages in order, so once these answers are back it has the subscriptions.
  await downstream.request('svc.ping', text('?'), { timeoutMs: 5_000 });
  await stopping.request('svc.ping', text('?'), { timeoutMs: 5_000 });
  const inFlight = caller.request('svc.mid', text('?'), { timeoutMs: 5_000 });
  await taken;
  staying.respond('svc.mid', async () => text('staying'), 'mid');
  await staying.request('svc.ping', text('?'), { timeoutMs: 5_000 });
  const closed = stopping.close();
  const later = caller.request('svc.mid', text('?'), { timeoutMs: 5_000 });
  expect(read((await inFlight).data)).toBe('stopping+down');
  // why: a request sent as the close begins may reach the server before the drain's unsubscribe; either way it is answered.
  expect(['staying', 'stopping+down']).toContain(read((await later).data));
  await closed;
  expect(read((await caller.request('svc.mid', text('?'), { timeoutMs: 5_000 })).data)).toBe('staying');
});

// why: services stop by unsubscribing their responders, then closing the bus; both paths must drain.
it.each([
  ['closing', false],
  ['unsubscribing, then closing,', true],
])(
  '%s loses no request that the server already routed to it: under steady load every request is answered',
  async (_, unsubscribeFirst) => {
    const caller = await open('load-caller');
    const stopping = await open('load-stopping');
    const staying = await open('load-staying');
    const responder = stopping.respond('svc.load', async () => text('stopping'), 'load');
    staying.respond('svc.load', async () => text('staying'), 'load');
    await Promise.all([stopping, staying].map((bus) => bus.request('svc.load', text('?'), { timeoutMs: 5_000 })));
    let running = true;
    const failures: string[] = [];
    const answeredBy = { stopping: 0, staying: 0 };
    const worker = async (): Promise<void> => {
      while (running) {
        try {
          // why: a dropped request is never answered, so a generous timeout only keeps a loaded machine from failing the test.
          const reply = await caller.request('svc.load', text('?'), { timeoutMs: 10_000 });
          answeredBy[read(reply.data) as keyof typeof answeredBy] += 1;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    const workers = Array.from({ length: 64 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (unsubscribeFirst) await responder.unsubscribe();
    await stopping.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await Promise.all(workers);
    expect(answeredBy.stopping).toBeGreaterThan(0);
    expect(answeredBy.staying).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  },
);
