/**
 * The site writer's decisions, as pure functions (src/publisher/site-writer/planning.ts): how a
 * record lands, what a sync plans, which revision a rollback restores. No Durable Object here.
 */
import { describe, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/articles/schema';
import type { FileRecord } from '../../src/publisher/api-types';
import {
  landing,
  planSync,
  rollbackTarget,
  syncWrites,
} from '../../src/publisher/site-writer/planning';
import type { ArticleRow } from '../../src/publisher/site-writer/rows';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const record = (slug: string, hash: string, extra: Partial<ArticleRecord> = {}) =>
  ({ slug, hash, datePublished: '2026-11-30', ...extra }) as ArticleRecord;
const row = (slug: string, fields: Partial<ArticleRow> = {}): ArticleRow => ({
  slug,
  origin: 'file',
  path: `content/${slug}.md`,
  published: null,
  draft: null,
  owner: null,
  review: 0,
  changed_at: 0,
  ...fields,
});
const file = (r: ArticleRecord): FileRecord => ({ path: `content/${r.slug}.md`, record: r });

describe('how a record lands', () => {
  it('publishes a new article, changes a published one, and leaves the same one unchanged', () => {
    expect(landing(record('a', 'h1'), undefined, undefined, NOW)).toEqual({
      kind: 'publish',
      status: 'added',
      replaces: null,
    });
    expect(landing(record('a', 'h2'), row('a', { published: 'h1' }), undefined, NOW)).toEqual({
      kind: 'publish',
      status: 'changed',
      replaces: 'h1',
    });
    expect(landing(record('a', 'h1'), row('a', { published: 'h1' }), undefined, NOW)).toMatchObject(
      {
        status: 'unchanged',
        replaces: null,
      },
    );
  });

  it('schedules a future publishAt, once: the same revision again changes nothing', () => {
    const later = record('a', 'h3', { publishAt: '2026-12-02T00:00:00Z' });
    expect(landing(later, row('a'), undefined, NOW)).toEqual({
      kind: 'schedule',
      at: Date.parse('2026-12-02T00:00:00Z'),
    });
    const pending = { slug: 'a', hash: 'h3', publish_at: Date.parse('2026-12-02T00:00:00Z') };
    expect(landing(later, row('a', { draft: 'h3' }), pending, NOW)).toEqual({
      kind: 'already-scheduled',
    });
    // Its time has come: published now.
    expect(landing(later, row('a'), undefined, Date.parse('2026-12-03T00:00:00Z')).kind).toBe(
      'publish',
    );
  });

  it('retracts a published article turned back into a draft', () => {
    const draft = record('a', 'h4', { draft: true });
    expect(landing(draft, row('a', { published: 'h1' }), undefined, NOW)).toEqual({
      kind: 'draft',
      retract: 'h1',
    });
  });
});

describe('a sync plan', () => {
  it('adds, changes, keeps, retracts files gone, and never touches what the API changed', () => {
    const rows = new Map([
      ['same', row('same', { published: 's1' })],
      ['edited', row('edited', { published: 'e1' })],
      ['gone', row('gone', { published: 'g1' })],
      ['api-owned', row('api-owned', { origin: 'api', published: 'a1' })],
      ['api-only', row('api-only', { origin: 'api', published: 'o1' })],
    ]);
    const plan = planSync(
      [
        file(record('new', 'n1')),
        file(record('same', 's1')),
        file(record('edited', 'e2')),
        file(record('api-owned', 'a2')),
      ],
      (slug) => rows.get(slug),
      [...rows.values()].filter((r) => r.published),
      { partial: false, keep: [], now: NOW },
    );
    expect(plan).toMatchObject({
      added: ['new'],
      changed: ['edited', 'api-owned'],
      unchanged: ['same'],
      removed: ['gone'],
    });
    expect(plan.conflicts.map((c) => c.slug)).toEqual(['api-owned']);
    expect(syncWrites(plan)).toBe(true);
  });

  it('retracts nothing from a partial batch, nor what earlier batches kept', () => {
    const rows = [row('kept', { published: 'k1' }), row('other', { published: 'x1' })];
    const lookup = (slug: string) => rows.find((r) => r.slug === slug);
    expect(planSync([], lookup, rows, { partial: true, keep: [], now: NOW }).removed).toEqual([]);
    expect(
      planSync([], lookup, rows, { partial: false, keep: ['kept'], now: NOW }).removed,
    ).toEqual(['other']);
  });

  it('writes nothing when every file is as stored', () => {
    const stored = row('same', { published: 's1' });
    const plan = planSync([file(record('same', 's1'))], () => stored, [stored], {
      partial: false,
      keep: [],
      now: NOW,
    });
    expect(syncWrites(plan)).toBe(false);
  });
});

describe('a rollback target', () => {
  const kept = [
    { number: 1, hash: 'r1', record: record('a', 'r1') },
    { number: 2, hash: 'd', record: record('a', 'd', { draft: true }) },
    { number: 3, hash: 'r3', record: record('a', 'r3') },
  ];
  it('is the revision before the published one, skipping drafts', () => {
    expect(rollbackTarget('a', kept, 'r3', undefined)).toEqual({ record: kept[0]?.record });
  });
  it('is a named revision, by number or hash', () => {
    expect(rollbackTarget('a', kept, 'r3', '1')).toEqual({ record: kept[0]?.record });
    expect(rollbackTarget('a', kept, 'r3', 'r3')).toEqual({ record: kept[2]?.record });
  });
  it('says why there is none', () => {
    expect(rollbackTarget('a', kept, 'r1', undefined)).toEqual({
      detail: 'a: the published revision is the oldest kept; nothing earlier',
    });
    expect(rollbackTarget('a', kept, 'r3', '9')).toEqual({ detail: 'a: no kept revision "9"' });
    expect(rollbackTarget('a', [], null, undefined)).toEqual({
      detail: 'a: no revision to roll back to',
    });
  });
});
