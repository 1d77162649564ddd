import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { eventually, useNatsServer } from '@conexus/testkit';
import { connectNatsBus, type NatsBus } from './index.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

const until = (condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<true> =>
  eventually(async () => ((await condition()) ? true : undefined), timeoutMs);

let bus: NatsBus;
// why: afterAll hooks run in the order declared: the bus closes before useNatsServer's hook stops the server.
afterAll(async () => {
  await bus?.close();
});
const nats = useNatsServer();
beforeAll(async () => {
  bus = await connectNatsBus({ servers: nats.url, settings: { ackWaitMs: 2_000, maxDeliveries: 5 } });
});

it('reconnects after nats-server restarts and loses no queued or acknowledged job', async () => {
  const done = new Set<string>();
  const subscription = bus.consume('restart', async (job) => void done.add(job.id));
  const responder = bus.respond('svc.restart', async () => text('pong'));
  for (let i = 0; i < 5; i++) await bus.enqueue('restart', `before-${i}`, text('x'));
  await until(() => done.size === 5);

  await nats.restart();
  for (let i = 0; i < 5; i++) {
    await until(async () =>
      bus.enqueue('restart', `after-${i}`, text('x')).then(
        () => true,
        () => false,
      ),
    );
  }
  await until(() => done.size === 10);
  await until(async () =>
    bus.request('svc.restart', text('ping'), { timeoutMs: 500 }).then(
      () => true,
      () => false,
    ),
  );
  expect([...done].sort()).toEqual([
    ...[0, 1, 2, 3, 4].map((i) => `after-${i}`),
    ...[0, 1, 2, 3, 4].map((i) => `before-${i}`),
  ]);
  expect(await bus.pending('restart')).toBe(0);
  await subscription.unsubscribe();
  await responder.unsubscribe();
});

it('says it is disconnected while nats-server is down, and connected again once it is back; a responder still stops in bounded time', async () => {
  expect(bus.connected()).toBe(true);
  const responder = bus.respond('svc.down', async () => text('pong'), 'down');
  await nats.stop();
  await until(() => !bus.connected());
  // why: a drain waits for the server's confirmation, which cannot come now; stopping must not wait for it.
  const started = Date.now();
  await responder.unsubscribe();
  expect(Date.now() - started).toBeLessThan(5_000);
  await nats.restart();
  await until(() => bus.connected());
});
