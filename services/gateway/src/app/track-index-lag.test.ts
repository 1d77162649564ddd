import { expect, it } from '@jest/globals';
import { create, toBinary } from '@bufbuild/protobuf';
import { IndexEventSchema, IndexState } from '@conexus/api';
import { createInProcessBus } from '@conexus/bus';
import { indexEventSubject } from '@conexus/wire';
import { trackIndexLag } from './track-index-lag.js';

it('counts a repository from its first queued event until it is searchable, done or failed', async () => {
  const bus = createInProcessBus();
  let now = 1_000;
  const tracker = trackIndexLag(bus, () => now);
  const publish = (repo: string, state: IndexState): void =>
    bus.publish(indexEventSubject(repo), toBinary(IndexEventSchema, create(IndexEventSchema, { repo, state })));
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));
  publish('a', IndexState.QUEUED);
  publish('b', IndexState.QUEUED);
  publish('c', IndexState.QUEUED);
  await settle();
  now = 3_000;
  publish('a', IndexState.QUEUED);
  await settle();
  expect(tracker.lag()).toEqual(
    new Map([
      ['a', 2],
      ['b', 2],
      ['c', 2],
    ]),
  );
  publish('c', IndexState.INDEXING);
  await settle();
  expect(tracker.lag().has('c')).toBe(true);
  publish('c', IndexState.EMBEDDING);
  publish('a', IndexState.DONE);
  publish('b', IndexState.FAILED);
  await settle();
  expect(tracker.lag()).toEqual(new Map());
  await tracker.stop();
  await bus.close();
});
