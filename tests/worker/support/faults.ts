/**
 * Stand-ins that fail on demand, wrapped around the real local KV and Cache API.
 */
import { env } from 'cloudflare:workers';

export type KvMode = 'ok' | 'throw' | 'hang';

/** The real ARTICLES namespace, whose reads can be made to throw or never answer. */
export function switchableKv(): { kv: KVNamespace; set(mode: KvMode): void } {
  let mode: KvMode = 'ok';
  const real = env.ARTICLES;
  const kv = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'get') return Reflect.get(target, property, receiver);
      return (...args: Parameters<KVNamespace['get']>) => {
        if (mode === 'throw') return Promise.reject(new Error('KV GET failed: 503 (injected)'));
        if (mode === 'hang') return new Promise(() => {});
        return (target.get as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  return { kv, set: (next) => (mode = next) };
}

/** A Cache whose match and put throw, as the Cache API may. */
export function throwingCache(): Cache {
  return {
    match: () => Promise.reject(new Error('cache match failed (injected)')),
    put: () => Promise.reject(new Error('cache put failed (injected)')),
    delete: () => Promise.reject(new Error('cache delete failed (injected)')),
  } as unknown as Cache;
}
