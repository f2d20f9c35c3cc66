/**
 * Stand-ins that fail on demand, wrapped around the real local KV and Cache API.
 */
import { env } from 'cloudflare:workers';

export type KvMode = 'ok' | 'throw' | 'hang';

/**
 * The real ARTICLES namespace, whose reads can be made to throw or never answer; `only`
 * limits the fault to keys starting with it (e.g. 'v1:article:').
 */
export function switchableKv(): { kv: KVNamespace; set(mode: KvMode, only?: string): void } {
  let mode: KvMode = 'ok';
  let prefix = '';
  const real = env.ARTICLES;
  const kv = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'get') return Reflect.get(target, property, receiver);
      return (...args: Parameters<KVNamespace['get']>) => {
        const faulty = String(args[0]).startsWith(prefix);
        if (faulty && mode === 'throw')
          return Promise.reject(new Error('KV GET failed: 503 (injected)'));
        if (faulty && mode === 'hang') return new Promise(() => {});
        return (target.get as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  return {
    kv,
    set(next, only = '') {
      mode = next;
      prefix = only;
    },
  };
}

/** A Cache whose match and put throw, as the Cache API may. */
export function throwingCache(): Cache {
  return {
    match: () => Promise.reject(new Error('cache match failed (injected)')),
    put: () => Promise.reject(new Error('cache put failed (injected)')),
    delete: () => Promise.reject(new Error('cache delete failed (injected)')),
  } as unknown as Cache;
}
