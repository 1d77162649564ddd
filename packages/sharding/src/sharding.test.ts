import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { mergeByScore, ownedShards, rendezvousOwner, shardOf } from './index.js';

describe('shardOf', () => {
  test('is stable and within range', () => {
    expect(shardOf('caddy', 16)).toBe(shardOf('caddy', 16));
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (repo, count) => {
        const shard = shardOf(repo, count);
        return Number.isInteger(shard) && shard >= 0 && shard < count;
      }),
    );
  });

  test('spreads repositories over the shards', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 1600; i++) counts[shardOf(`repo-${i}`, 16)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(60);
  });

  test('rejects a bad shard count', () => {
    expect(() => shardOf('a', 0)).toThrow(RangeError);
  });
});

describe('rendezvous ownership', () => {
  const replicas = ['indexer-0', 'indexer-1', 'indexer-2'];

  test('every shard has exactly one owner', () => {
    const owned = replicas.map((replica) => ownedShards(replica, replicas, 16));
    expect(owned.flat().sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
  });

  test('a leaving replica moves only its own shards', () => {
    const before = [...Array(16).keys()].map((shard) => rendezvousOwner(shard, replicas));
    const after = [...Array(16).keys()].map((shard) => rendezvousOwner(shard, ['indexer-0', 'indexer-2']));
    before.forEach((owner, shard) => {
      if (owner !== 'indexer-1') expect(after[shard]).toBe(owner);
    });
  });

  test('no replicas, no owner', () => {
    expect(rendezvousOwner(3, [])).toBeNull();
  });
});

describe('mergeByScore', () => {
  test('keeps the best results across shards in a stable order', () => {
    const hit = (repo: string, score: number) => ({ repo, path: 'a.ts', startLine: 1, score });
    const merged = mergeByScore(
      [
        [hit('a', 0.9), hit('a', 0.2)],
        [hit('b', 0.5), hit('c', 0.9)],
      ],
      3,
    );
    expect(merged.map((item) => item.repo)).toEqual(['a', 'c', 'b']);
  });
});
