import { afterEach, describe, expect, it } from '@jest/globals';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  SearchRequestSchema,
  SearchResultSchema,
  ShardSearchRequestSchema,
  ShardSearchResponseSchema,
} from '@conexus/api';
import { createInProcessBus, type Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { shardOf } from '@conexus/sharding';
import { shardSubject } from '@conexus/wire';
import { SINGLE_USER_SCOPE } from '../adapters/single-user-scope.js';
import { LOCAL_USER } from '@conexus/access';
import { createQueryApp } from './create-query-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let bus: Bus;
afterEach(async () => bus?.close());

/** A shard owner that answers with one result per request after a delay. */
function shard(number: number, delayMs: number, score: number, seen: { scopes: boolean[] }): void {
  bus.respond(shardSubject(number, 'search'), async (message) => {
    const request = fromBinary(ShardSearchRequestSchema, message.data);
    seen.scopes.push(request.scope?.everything === true);
    await sleep(delayMs);
    const result = create(SearchResultSchema, {
      repo: `repo-${number}`,
      path: 'a.py',
      startLine: 1,
      endLine: 2,
      score,
      text: 'x\n',
    });
    return toBinary(ShardSearchResponseSchema, create(ShardSearchResponseSchema, { shard: number, results: [result] }));
  });
}

describe('query app', () => {
  it('merges every shard by score and passes the scope to each', async () => {
    bus = createInProcessBus();
    const seen = { scopes: [] as boolean[] };
    [0, 1, 2, 3].forEach((number) => shard(number, 0, number / 10, seen));
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 4 });
    const response = await app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x' }), {
      deadline: Date.now() + 1_000,
      headers: {},
    });
    expect(response.results.map((result) => result.repo)).toEqual(['repo-3', 'repo-2', 'repo-1', 'repo-0']);
    expect(response.partial).toBe(false);
    expect(seen.scopes).toEqual([true, true, true, true]);
  });

  it('answers partially when a shard misses the deadline or has no owner', async () => {
    bus = createInProcessBus();
    const seen = { scopes: [] as boolean[] };
    shard(0, 0, 0.5, seen);
    shard(1, 2_000, 0.9, seen);
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 3 });
    const started = Date.now();
    const response = await app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x' }), {
      deadline: Date.now() + 200,
      headers: {},
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(response.partial).toBe(true);
    expect(response.missingShards.sort()).toEqual([1, 2]);
    expect(response.results.map((result) => result.repo)).toEqual(['repo-0']);
  });

  it('waits within the deadline while no shard has an owner, and answers fully once one claims its shards', async () => {
    bus = createInProcessBus();
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 2 });
    setTimeout(() => [0, 1].forEach((number) => shard(number, 0, 0.5, { scopes: [] })), 600);
    const started = Date.now();
    const response = await app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x' }), {
      deadline: started + 3_000,
      headers: {},
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(response).toMatchObject({ partial: false, missingShards: [] });
    expect(response.results.map((result) => result.repo).sort()).toEqual(['repo-0', 'repo-1']);
  });

  it('fails deadline_exceeded, not an empty answer, when no shard answers in time', async () => {
    bus = createInProcessBus();
    shard(0, 2_000, 0.5, { scopes: [] });
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 1 });
    const started = Date.now();
    await expect(
      app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x' }), { deadline: started + 200, headers: {} }),
    ).rejects.toMatchObject({ code: 'deadline_exceeded' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers partially when a shard is too busy, and resource_exhausted when no shard answered', async () => {
    bus = createInProcessBus();
    shard(0, 0, 0.5, { scopes: [] });
    bus.respond(shardSubject(1, 'search'), async () => {
      throw new ConexusError('resource_exhausted', 'search is busy');
    });
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 2 });
    const partial = await app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x' }), {
      deadline: Date.now() + 1_000,
      headers: {},
    });
    expect(partial).toMatchObject({ partial: true, missingShards: [1] });
    expect(partial.results.map((result) => result.repo)).toEqual(['repo-0']);
    const onShard1 = ['a', 'b', 'c', 'd', 'e', 'f'].find((repo) => shardOf(repo, 2) === 1)!;
    await expect(
      app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x', repos: [onShard1] }), {
        deadline: Date.now() + 1_000,
        headers: {},
      }),
    ).rejects.toMatchObject({
      code: 'resource_exhausted',
    });
  });

  it('stops waiting when the caller cancels', async () => {
    bus = createInProcessBus();
    shard(0, 2_000, 0.5, { scopes: [] });
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      app.search(LOCAL_USER, create(SearchRequestSchema, { query: 'x' }), {
        deadline: Date.now() + 5_000,
        signal: controller.signal,
        headers: {},
      }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('refuses anyone but the local user without access control', async () => {
    bus = createInProcessBus();
    const app = createQueryApp({ bus, scope: SINGLE_USER_SCOPE, shardCount: 1 });
    const stranger = { issuer: 'https://idp.example', subject: 'alice', tenant: 't', groups: [], roles: [] };
    await expect(
      app.search(stranger, create(SearchRequestSchema, { query: 'x' }), { deadline: Date.now() + 1_000, headers: {} }),
    ).rejects.toBeInstanceOf(ConexusError);
  });
});
