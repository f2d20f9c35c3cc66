/**
 * Hostile input, property-based, through the real worker: arbitrary paths, header values,
 * query strings and publishing bodies. Never a 5xx, always a well-formed answer, never an
 * input reflected unescaped into HTML.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../support/app';
import { ARTICLE_PATH } from '../../support/fetch';
import { AUTH } from '../../support/publisher';

const RUNS = 150;
const app = testApp();

/** Text that would be markup if reflected raw. */
const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(1)>';

/** A well-formed answer: a status below 500, and a body that parses as what it says it is. */
async function expectWellFormed(res: Response): Promise<string> {
  expect(res.status).toBeLessThan(500);
  const body = await res.text();
  const type = res.headers.get('Content-Type') ?? '';
  if (body.length === 0) return body;
  if (type.includes('json')) expect(() => JSON.parse(body)).not.toThrow();
  if (type.startsWith('text/html')) expect(body).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>$/);
  return body;
}

const pathSegment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('..', '.', '%2e%2e', '%00', '%', '%zz', '%E0%A4%A', MARKUP, 'A'.repeat(10_000)),
  fc.stringMatching(/^[a-z0-9-]{1,30}(\.(json|md|jsonld|html|xml))?$/),
);

describe('hostile input', () => {
  it('answers any path without a 5xx and never reflects markup unescaped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pathSegment, { minLength: 1, maxLength: 4 }), async (segments) => {
        const raw = `/${segments.join('/')}`;
        // Printable ASCII as is (%-sequences stay raw: malformed ones included), the rest encoded.
        const path = Array.from(raw, (ch) =>
          /[\x21-\x7e]/.test(ch) ? ch : encodeURIComponent(ch),
        ).join('');
        let res: Response;
        try {
          res = await app.fetch(path, { headers: { Accept: 'text/html' } });
        } catch {
          return; // a URL the Request constructor itself refuses never reaches the worker
        }
        const body = await expectWellFormed(res);
        expect(body).not.toContain('<script>alert(1)</script>');
        expect(body).not.toContain('<img src=x');
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any Accept, If-None-Match, If-Modified-Since or Authorization without a 5xx', async () => {
    const headerValue = fc.oneof(
      fc.string({ maxLength: 200 }).map((s) => s.replace(/[\r\n\0]/g, ' ')),
      fc.constantFrom(
        '*/*;q=abc',
        ',,,',
        'W/"x", *',
        '"unterminated',
        'Bearer ',
        'Bearer \t x',
        MARKUP,
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'Accept',
          'If-None-Match',
          'If-Modified-Since',
          'If-Match',
          'Authorization',
        ),
        headerValue,
        fc.constantFrom(ARTICLE_PATH, '/', '/feed.xml', '/api/articles'),
        async (name, value, path) => {
          const res = await app.fetch(path, { headers: { [name]: value } });
          await expectWellFormed(res);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers any query string without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (query) => {
        const res = await app.fetch(
          `/?${encodeURIComponent(query).replace(/%3D/g, '=').replace(/%26/g, '&')}`,
        );
        await expectWellFormed(res);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any body sent to the publishing API without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 2000 }), fc.json(), fc.uint8Array({ maxLength: 500 })),
        fc.constantFrom('text/markdown', 'application/json', 'text/plain', ''),
        async (body, type) => {
          const res = await app.fetch('/api/articles/hostile-body', {
            method: 'PUT',
            headers: {
              ...AUTH,
              // Its own address: the fuzzed headers above count as failed authentications.
              'CF-Connecting-IP': '192.0.2.77',
              ...(type ? { 'Content-Type': type } : {}),
            },
            body,
          });
          expect([200, 201, 413, 415, 422]).toContain(res.status);
          await expectWellFormed(res);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
