/**
 * The publisher's gauge of the readers' asks for the current version (version-reads.ts), with
 * time injected, and through a real reader: its asks arrive named by location and isolate.
 */
import { describe, expect, it } from 'vitest';
import { VersionReads } from '../../src/publisher/site-writer/version-reads';
import { testApp } from '../support/app';
import { AUTH, seedSite } from '../support/publisher';

describe('version reads', () => {
  it('counts the last minute per location and per isolate', () => {
    const reads = new VersionReads();
    reads.record('AMS', 'a', 0);
    for (let i = 0; i < 3; i++) reads.record('AMS', 'b', 30_000 + i);
    reads.record('SIN', 'c', 50_000);
    expect(reads.report(70_000)).toEqual({
      windowSeconds: 60,
      total: 4,
      truncated: false,
      locations: [
        { location: 'AMS', requests: 3, isolates: 1, busiestIsolate: 3 },
        { location: 'SIN', requests: 1, isolates: 1, busiestIsolate: 1 },
      ],
    });
  });

  it("shows a reader's asks at GET /api/status", async () => {
    await seedSite();
    const reader = testApp({ VERSION_MAX_AGE_MS: '0' });
    for (let i = 0; i < 3; i++) expect((await reader.fetch('/')).status).toBe(200);
    const status = await reader.fetch('/api/status', { headers: AUTH });
    expect(status.status).toBe(200);
    const { versionReads } = (await status.json()) as {
      versionReads: { total: number; locations: { location: string; isolates: number }[] };
    };
    // A bound of 0: each request waited and asked (no location copy is young enough).
    expect(versionReads.total).toBeGreaterThanOrEqual(3);
    expect(versionReads.locations[0]).toMatchObject({ location: 'unknown', isolates: 1 });
  });
});
