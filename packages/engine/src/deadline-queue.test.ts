import { describe, expect, it } from '@jest/globals';
import { createDeadlineQueue, type Lane } from './deadline-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lanes that take `ms` per job and record what ran, and how many ran at once. */
function slowLanes(count: number, ms: number) {
  const ran: string[] = [];
  let running = 0;
  let most = 0;
  const lanes: Lane<string, string>[] = Array.from({ length: count }, () => async (job) => {
    running += 1;
    most = Math.max(most, running);
    ran.push(job);
    await sleep(ms);
    running -= 1;
    return `done ${job}`;
  });
  return { lanes, ran, most: () => most };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value, at: Date.now() }),
    (error: { code?: string }) => ({ code: error.code, at: Date.now() }),
  );

describe('the deadline queue', () => {
  it('runs jobs first come first served, one per lane at a time', async () => {
    const { lanes, ran, most } = slowLanes(2, 30);
    const queue = createDeadlineQueue(lanes);
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((job) => queue.run(job)));
    expect(results).toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(most()).toBe(2);
  });

  it('refuses at once, resource_exhausted, a job whose queued work ahead outlasts its deadline', async () => {
    const { lanes, ran } = slowLanes(1, 100);
    const queue = createDeadlineQueue(lanes);
    await queue.run('warm-up');
    const ahead = ['a', 'b', 'c', 'd'].map((job) => queue.run(job));
    const started = Date.now();
    const refused = await outcome(queue.run('late', Date.now() + 200));
    expect(refused).toMatchObject({ code: 'resource_exhausted' });
    expect(refused.at - started).toBeLessThan(50);
    await Promise.all(ahead);
    expect(ran).not.toContain('late');
    // why: with the queue drained, the same deadline is met.
    await expect(queue.run('now', Date.now() + 200)).resolves.toBe('done now');
  });

  it('fails a job deadline_exceeded at its deadline, waiting or running, and never starts a late one', async () => {
    const { lanes, ran } = slowLanes(1, 300);
    const queue = createDeadlineQueue(lanes);
    const started = Date.now();
    const running = outcome(queue.run('running', started + 100));
    const waiting = outcome(queue.run('waiting', started + 150));
    const next = outcome(queue.run('next'));
    const [first, second, third] = await Promise.all([running, waiting, next]);
    expect(first).toMatchObject({ code: 'deadline_exceeded' });
    expect(first.at - started).toBeLessThan(100 + 100);
    expect(second).toMatchObject({ code: 'deadline_exceeded' });
    expect(second.at - started).toBeLessThan(150 + 100);
    // why: the lane is free again only once the late job really ends; the waiting one was dropped, not run.
    expect(third).toMatchObject({ value: 'done next' });
    expect(third.at - started).toBeGreaterThanOrEqual(590);
    expect(ran).toEqual(['running', 'next']);
  });

  it('fails deadline_exceeded at once when the deadline has passed', async () => {
    const { lanes, ran } = slowLanes(1, 10);
    await expect(createDeadlineQueue(lanes).run('x', Date.now() - 1)).rejects.toMatchObject({
      code: 'deadline_exceeded',
    });
    expect(ran).toEqual([]);
  });

  it('carries a lane failure to its job, and fails unavailable once every lane is retired', async () => {
    const failing: Lane<string, string> = async () => {
      throw new Error('thread crashed');
    };
    const queue = createDeadlineQueue([failing]);
    await expect(queue.run('x')).rejects.toMatchObject({ code: 'internal', message: 'thread crashed' });
    const { lanes } = slowLanes(1, 200);
    const blocked = createDeadlineQueue(lanes);
    void blocked.run('running').catch(() => undefined);
    const waiting = blocked.run('waiting');
    blocked.retire(0);
    await expect(waiting).rejects.toMatchObject({ code: 'unavailable' });
    await expect(blocked.run('later')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
