/**
 * Faults while publishing: a KV write that fails midway leaves the previous version served,
 * whole, and the index consistent; the API answers 503, never 500.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { VERSION_KEY } from '../../../src/articles/keys';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';

const TOKEN = 'faults-test-token';

/** The real namespace, except that writes of keys starting with `failing` throw. */
function kvFailingWritesOf(failing: string): KVNamespace {
  return new Proxy(env.ARTICLES, {
    get(target, property, receiver) {
      if (property !== 'put') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (key: string, value: string) =>
        key.startsWith(failing)
          ? Promise.reject(new Error('KV PUT failed: 500 (injected)'))
          : target.put(key, value);
    },
  });
}

describe('a write that fails midway', () => {
  it.each([
    ['the version pointer', VERSION_KEY],
    ['the index head', 'v1:index:'],
    ['the record', 'v1:article:midway'],
  ])(
    'when %s cannot be written, the previous version stays served and whole',
    async (_, failing) => {
      const vars = { PUBLISH_TOKEN: TOKEN, VERSION_MEMORY_TTL: '0' };
      const healthy = testApp(vars);
      const put = (app: typeof healthy, words: string) =>
        app.fetch('/api/articles/midway', {
          method: 'PUT',
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/markdown' },
          body: variantOf('midway', words),
        });
      expect((await put(healthy, 'Version one.')).status).toBeLessThan(300);
      const pointerBefore = await env.ARTICLES.get(VERSION_KEY);

      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const broken = testApp(vars, {}, undefined, { ARTICLES: kvFailingWritesOf(failing) });
      const res = await put(broken, 'Version two.');
      expect(res.status).toBe(503);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(res.headers.get('Retry-After')).toBe('5');
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]?.[0])).toMatch(/published version is unchanged/);
      errors.mockRestore();

      expect(await env.ARTICLES.get(VERSION_KEY)).toBe(pointerBefore);
      const page = await (await healthy.fetch('/articles/midway')).text();
      expect(page).toContain('Version one.');
      expect(page).not.toContain('Version two.');
    },
  );
});
