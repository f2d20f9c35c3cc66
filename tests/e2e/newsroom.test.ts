/**
 * The newsroom in a real browser (Debian's Chromium, one for every suite here) against `npm
 * start`. People: the
 * printed one-time link signs the local admin in; an invitation registers a passkey with a
 * virtual authenticator (Chrome DevTools Protocol's WebAuthn domain), the person writes as
 * themselves, signs out, signs in with the passkey, and a session once signed out no longer
 * works. Every page passes axe-core with 0 violations, on a phone-sized screen. And the CLI,
 * with a contributor's token, is refused a publish and accepted a draft.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStart, type Started } from '../support/npm-start';

const CHROMIUM = '/usr/bin/chromium';
const shippedArticle = readFileSync(
  'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md',
  'utf8',
);
const AXE = path.resolve('node_modules/axe-core/axe.min.js');
const SHOTS = path.resolve('build/screenshots');
const run = promisify(execFile);

let stack: Started;
let browser: Browser;
let origin: string;
let token: string;
let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

async function api<T>(method: string, route: string, body?: unknown, bearer = token): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${stack.port}${route}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A phone-sized context; CSP bypassed only so axe-core can be injected. */
const phone = () =>
  browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    bypassCSP: true,
  });

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; help: string }[] }> };
      }
    ).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.help}`);
  });
  return results;
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `people-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (.ci/run does)`,
    );
  }
  [stack, browser] = await Promise.all([npmStart(), chromium.launch({ executablePath: CHROMIUM })]);
  origin = `http://localhost:${stack.port}`;
  token = await stack.token();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('signing in', () => {
  it('signs the local admin in with the link npm start prints, landing on /admin', async () => {
    const link = /^ {2}sign in: (\S+)$/m.exec(stack.output())?.[1];
    expect(link).toMatch(new RegExp(`^${origin}/admin/sign-in/link#[A-Za-z0-9_-]{43}$`));
    const context = await phone();
    const page = await context.newPage();
    await page.goto(link ?? '');
    await page.waitForURL(`${origin}/admin`);
    await expect(page.locator('header').textContent()).resolves.toContain(
      'Signed in as Local admin',
    );
    adminCookies = await context.cookies();
    // Used once: the same link again signs no one in.
    const again = await context.newPage();
    await context.clearCookies();
    await again.goto(link ?? '');
    await again.waitForFunction("/not valid/.test(document.getElementById('status').textContent)");
    expect(again.url()).toBe(`${origin}/admin/sign-in/link`);
    await context.close();
  }, 60_000);

  it('registers a passkey from an invitation, writes as that person, signs out and back in', async () => {
    const person = await api<{ id: string }>('POST', '/api/people', {
      name: 'Pat Passkey',
      email: 'pat@newsroom.test',
      role: 'author',
    });
    const { url } = await api<{ url: string }>('POST', `/api/people/${person.id}/invitations`);
    const context: BrowserContext = await phone();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(url);
    expect(page.url()).toBe(`${origin}/admin/invitation`); // the secret is off the address bar
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'invitation');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${origin}/admin`);
    await expect(page.locator('header').textContent()).resolves.toContain(
      'Signed in as Pat Passkey',
    );

    // A write from the newsroom's origin, with the session cookie: attributed to Pat.
    const slug = 'written-with-a-passkey';
    const document = shippedArticle.replace(/^slug: .*$/m, `slug: ${slug}\ndraft: true`);
    const status = await page.evaluate(
      async ([s, body]) =>
        (
          await fetch(`/api/articles/${s}`, {
            method: 'PUT',
            headers: { 'Content-Type': 'text/markdown' },
            body,
          })
        ).status,
      [slug, document] as const,
    );
    expect(status).toBe(201);
    const { entries } = await api<{
      entries: { operation: string; person: { email: string } | null; via: string }[];
    }>('GET', `/api/audit?slug=${slug}`);
    expect(entries).toEqual([
      expect.objectContaining({
        operation: 'draft',
        person: expect.objectContaining({ email: 'pat@newsroom.test' }),
        via: expect.stringMatching(/^session s_/),
      }),
    ]);

    // Sign out, then in again with the same passkey.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${origin}/admin/sign-in`);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${origin}/admin`);
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-kvpress-session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    const sessions = await api<{ sessions: unknown[] }>('GET', `/api/people/${person.id}/sessions`);
    expect(sessions.sessions).toHaveLength(1);

    // Signed out, the session is over where it is kept: the old cookie no longer works.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${origin}/admin/sign-in`);
    const replay = await fetch(`${origin}/api/session`, {
      headers: { Cookie: `__Host-kvpress-session=${cookie?.value}` },
    });
    expect(replay.status).toBe(401);
    // The invitation was used up by the registration.
    const reused = await fetch(`http://127.0.0.1:${stack.port}/admin/passkeys/options`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ invitation: new URL(url).hash.slice(1) }),
    });
    expect(reused.status).toBe(401);
    await context.close();
  }, 90_000);

  it('refuses a signed-in write from another origin', async () => {
    const res = await fetch(`${origin}/api/articles/x`, {
      method: 'DELETE',
      headers: { Cookie: '__Host-kvpress-session=anything', Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});

describe('the CLI with a personal token', () => {
  it("refuses a contributor's publish, naming the article, and accepts their draft", async () => {
    const person = await api<{ id: string }>('POST', '/api/people', {
      name: 'Cal',
      email: 'cal@newsroom.test',
      role: 'contributor',
    });
    const { token: theirs } = await api<{ token: string }>('POST', '/api/tokens', {
      person: person.id,
      scopes: ['read', 'draft'],
    });
    const content = path.join(stack.dir, 'cli-content');
    await mkdir(content, { recursive: true });
    const file = path.join(content, 'cli-article.md');
    // The published fixture stays (a sync without it would retract it: an unpublish).
    await writeFile(path.join(content, 'shipped.md'), shippedArticle);
    const cli = () =>
      run(
        path.join(stack.dir, 'node_modules', '.bin', 'tsx'),
        ['scripts/cli/publish.ts', '--remote', '--url', origin, '--content', content],
        {
          cwd: stack.dir,
          env: { ...process.env, PUBLISH_TOKEN: theirs, WRANGLER_SEND_METRICS: 'false' },
        },
      ).then(
        (r) => ({ code: 0, said: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          said: e.stdout + e.stderr,
        }),
      );
    await writeFile(file, shippedArticle.replace(/^slug: .*$/m, 'slug: cli-article'));
    const refused = await cli();
    expect(refused.code).not.toBe(0);
    expect(refused.said).toContain('cli-article');
    expect(refused.said).toMatch(/403|may not publish/);
    await writeFile(file, shippedArticle.replace(/^slug: .*$/m, 'slug: cli-article\ndraft: true'));
    const accepted = await cli();
    expect(accepted.said).toContain('1 draft');
    expect(accepted.code).toBe(0);
  }, 60_000);
});

/** Waits for the editor's status line to say `text`; on a timeout, says what it said instead. */
async function saidStatus(page: Page, text: string): Promise<void> {
  const status = page.locator('#save-status');
  try {
    await status.filter({ hasText: text }).waitFor({ timeout: 15_000 });
  } catch {
    throw new Error(
      `the status line says ${JSON.stringify(await status.textContent())}, not ${JSON.stringify(text)}`,
    );
  }
}

describe('the desk and the editor', () => {
  /** A page signed in as the local admin, at `width` and in `scheme`. */
  async function adminPage(width = 390, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      bypassCSP: true,
      colorScheme: scheme,
    });
    await context.addCookies(adminCookies);
    return context.newPage();
  }

  it('writes, saves, publishes and reads an article on the public site', async () => {
    const page = await adminPage(1280);
    await page.goto(`${origin}/admin`);
    await page.getByRole('heading', { name: 'Desk' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'desk-desktop');
    await page.getByRole('link', { name: 'New article' }).click();
    await page.waitForURL(`${origin}/admin/articles/new`);
    await page.getByLabel('Title', { exact: true }).fill('The newsroom writes its first article');
    await page
      .getByLabel('Standfirst', { exact: true })
      .fill('Written in the browser, stored as Markdown.');
    await page.getByLabel('Section', { exact: true }).fill('About kvpress');
    await page.getByLabel('Tags', { exact: true }).fill('kvpress, Newsroom');
    await page.getByLabel('Authors', { exact: true }).fill('kvpress developers');
    const body = page.getByRole('textbox', { name: 'Body' });
    await body.click();
    await page.keyboard.type('A paragraph typed in the editor, with ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('bold words');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('.');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'editor-desktop');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await saidStatus(page, 'Draft saved.');
    // The view is now the article's, at its own URL (history.replaceState: no navigation).
    expect(page.url()).toBe(`${origin}/admin/articles/the-newsroom-writes-its-first-article`);
    await page.getByRole('button', { name: 'Publish' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await saidStatus(page, 'Published.');
    // Its revisions name who wrote them; an editor shares a preview link from here.
    await page.locator('.revisions li', { hasText: 'by Local admin' }).first().waitFor();
    await page.getByRole('button', { name: 'Share a preview link' }).click();
    const previewUrl = await page.getByLabel(/^Preview link/).inputValue();
    expect(previewUrl).toMatch(new RegExp(`^${origin}/preview#[A-Za-z0-9_-]{43}$`));
    expect(await axeViolations(page)).toEqual([]);
    const stored = await api<{ body: string; status: string }>(
      'GET',
      '/api/articles/the-newsroom-writes-its-first-article',
    );
    expect(stored.status).toBe('published');
    expect(stored.body.trimEnd()).toBe('A paragraph typed in the editor, with **bold words**.');
    // Readers see it within the freshness bound.
    let res: Response | undefined;
    for (let i = 0; i < 50; i++) {
      res = await fetch(`${origin}/articles/the-newsroom-writes-its-first-article`);
      if (res.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(res?.status).toBe(200);
    expect(await res?.text()).toContain('<strong>bold words</strong>');
    await page.context().close();
  }, 90_000);

  it('keeps what was typed through a reload, and refuses to overwrite a newer save', async () => {
    const page = await adminPage(390, 'dark');
    await page.goto(`${origin}/admin/articles/the-newsroom-writes-its-first-article`);
    const body = page.getByRole('textbox', { name: 'Body' });
    await body.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Typed before a reload.');
    await page.reload();
    await page.getByText('Your unsaved changes on this device were restored.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Body' }).textContent()).toContain(
      'Typed before a reload.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'editor-phone-dark');
    // Someone else saves first (the API, as another tab would).
    const current = await api<{ etag: string }>(
      'GET',
      '/api/articles/the-newsroom-writes-its-first-article',
    );
    const theirs = shippedArticle
      .replace(/^slug: .*$/m, 'slug: the-newsroom-writes-its-first-article')
      .replace(/^title: .*$/m, 'title: The newsroom writes its first article');
    const put = await fetch(
      `http://127.0.0.1:${stack.port}/api/articles/the-newsroom-writes-its-first-article`,
      {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'text/markdown',
          'If-Match': current.etag,
        },
        body: theirs,
      },
    );
    expect(put.status).toBe(200);
    await page.getByRole('button', { name: 'Update' }).click();
    await page.locator('#conflict', { hasText: 'changed since you opened it' }).waitFor();
    expect(await page.locator('#conflict').textContent()).toContain('PUBLISH_TOKEN');
    // Nothing overwritten: their version stands; ours is still on the page.
    const after = await api<{ body: string }>(
      'GET',
      '/api/articles/the-newsroom-writes-its-first-article',
    );
    expect(after.body).not.toContain('Typed before a reload.');
    expect(await page.getByRole('textbox', { name: 'Body' }).textContent()).toContain(
      'Typed before a reload.',
    );
    await page.context().close();
  }, 90_000);

  it('keeps the fields the form has no control for (sources, the picture) when it saves', async () => {
    const slug = 'trump-seeks-to-renew-relations-with-putins-russia';
    type Stored = { sources?: string[]; image?: unknown; body: string };
    const before = await api<Stored>('GET', `/api/articles/${slug}`);
    expect(before.sources?.length).toBeGreaterThan(0);
    const page = await adminPage(1280);
    await page.goto(`${origin}/admin/articles/${slug}`);
    await page.getByRole('button', { name: 'Update' }).click();
    await saidStatus(page, 'Published');
    const after = await api<Stored>('GET', `/api/articles/${slug}`);
    expect(after.sources).toEqual(before.sources);
    expect(after.image).toEqual(before.image);
    expect(after.body.trimEnd()).toBe(before.body.trimEnd());
    await page.context().close();
  }, 60_000);

  it("shows a contributor 'Submit for review' and no 'Publish'", async () => {
    const person = await api<{ id: string }>('POST', '/api/people', {
      name: 'Cora Contributor',
      email: 'cora@newsroom.test',
      role: 'contributor',
    });
    const { url } = await api<{ url: string }>('POST', `/api/people/${person.id}/sign-in-links`);
    const context = await browser.newContext({
      viewport: { width: 390, height: 900 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForURL(`${origin}/admin`);
    await page.getByRole('link', { name: 'New article' }).click();
    await page.getByRole('button', { name: 'Submit for review' }).waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    expect(await page.getByLabel('Schedule', { exact: true }).count()).toBe(0);
    await page.getByLabel('Title', { exact: true }).fill('A contributor drafts');
    await page.getByLabel('Standfirst', { exact: true }).fill('For review.');
    await page.getByRole('textbox', { name: 'Body' }).click();
    await page.keyboard.type('Words for an editor to read.');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await saidStatus(page, 'Submitted for review.');
    const listed = await api<{ articles: { slug: string; status: string }[] }>(
      'GET',
      '/api/articles',
    );
    expect(listed.articles.find((a) => a.slug === 'a-contributor-drafts')?.status).toBe(
      'in review',
    );
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'editor-contributor-phone');
    await context.close();
  }, 90_000);
});
