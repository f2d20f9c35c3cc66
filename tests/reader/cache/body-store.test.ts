import { describe, expect, it } from 'vitest';
import { BodyStore, type StoredResponse } from '../../../src/reader/cache/body-store';
import { MemoryCache } from '../../../src/reader/cache/memory-cache';

describe('MemoryCache', () => {
  it('never holds more bytes than its budget, evicting the least recently used first', () => {
    const cache = new MemoryCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now more recent than b
    cache.set('c', 'C', 40);
    expect(cache.bytes).toBe(80);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
  });

  it('replaces an entry under the same key without counting it twice', () => {
    const cache = new MemoryCache<string>(100);
    cache.set('a', 'old', 60);
    cache.set('a', 'new', 30);
    expect(cache.get('a')).toBe('new');
    expect(cache.bytes).toBe(30);
    expect(cache.size).toBe(1);
  });

  it('does not store a value larger than the whole budget', () => {
    const cache = new MemoryCache<string>(10);
    cache.set('big', 'x', 11);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});

describe('BodyStore', () => {
  const stored = (headers: [string, string][]): StoredResponse => ({
    body: new TextEncoder().encode('body') as Uint8Array<ArrayBuffer>,
    headers,
  });

  it('refuses to store a response that sets a cookie', async () => {
    const cache = new BodyStore({ memoryBytes: 1 << 20, edge: () => undefined, edgeTtl: 60 });
    const kept = cache.store('k', 'slot', stored([['set-cookie', 'a=b']]), () => {});
    expect(kept).toBe(false);
    expect(await cache.lookup('k')).toBeUndefined();
  });

  it('finds the newest copy of a slot whatever its version, for stale-if-error', async () => {
    const cache = new BodyStore({ memoryBytes: 1 << 20, edge: () => undefined, edgeTtl: 60 });
    cache.store('k-v1', 'slot', stored([['etag', '"1"']]), () => {});
    cache.store('k-v2', 'slot', stored([['etag', '"2"']]), () => {});
    const stale = await cache.lookupStale('slot');
    expect(stale?.stored.headers).toEqual([['etag', '"2"']]);
  });
});
