import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import request from 'supertest';
import { Cluster, startCluster } from '../support/cluster';
import { makeConflict } from '../support/conflicts';
import { bearer } from '../support/http';

/** Debian's package, installed by .ci/run; a browser is never downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TOKEN = 'status-page-token-0123456789abcdef';
const auth = bearer(TOKEN);
/** Where the test leaves a screenshot of the page with an open conflict, for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'logsync-status-page.png');

describe('GET /status', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    const env = { API_TOKEN: TOKEN };
    cluster = await startCluster(['a', 'b'], { env: { a: env, b: env } });
  });
  afterAll(() => cluster?.stop());

  it('serves the page, one script and one stylesheet without auth, under a CSP that allows nothing inline', async () => {
    const { a } = cluster.nodes;
    const page = await request(a.url).get('/status').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe("default-src 'self'");
    expect(page.text.match(/<script[^>]*>/g)).toEqual(['<script src="/status/app.js" defer>']);
    expect(page.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const script = await request(a.url).get('/status/app.js').expect(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect((await request(a.url).get('/status/style.css').expect(200)).headers['content-type']).toMatch(/^text\/css/);
    await request(a.url).get('/admin/node').expect(401);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];
    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/status of 40[14]/.test(message.text())) problems.push(message.text());
      });
    });
    afterAll(() => browser?.close());

    const text = (selector: string) => page.locator(selector).first().textContent();
    const until = (selector: string, hasText: string | RegExp) =>
      page.locator(selector, { hasText }).first().waitFor({ timeout: 15_000 });

    it('asks for the token, syncs, shows the peer and the conflict, and resolves it on both nodes', async () => {
      const { a, b } = cluster.nodes;
      const made = await makeConflict(cluster, auth, '<img src=x>');
      await page.goto(`${a.url}/status`);
      await page.locator('#token').waitFor();
      await page.fill('#token', 'not-the-token-not-the-token-not-the');
      await page.click('button:has-text("Continue")');
      await until('#login-error', 'That token was refused.');
      await page.fill('#token', TOKEN);
      await page.click('button:has-text("Continue")');
      await until('#node-id', 'a');
      expect(await page.evaluate('sessionStorage.getItem("logsync.apiToken")')).toBe(TOKEN);
      expect(await text('#item-count')).toBe('1');

      await request(b.url)
        .post('/items')
        .set(auth)
        .send({ data: { from: 'b' } })
        .expect(201);
      const card = page.locator('[data-peer="b"]');
      await card.getByRole('button', { name: 'Sync now' }).click();
      await until('#notice', 'Synced with b: pulled 1, pushed 0, conflicts 0.');
      await until('#item-count', '2');
      await until('[data-peer="b"] .facts', 'ok · pulled 1 · pushed 0 · conflicts 0');
      expect(await card.locator('.badge').textContent()).toMatch(/^(ok|idle|scheduled)$/);

      const row = page.locator('tr[data-conflict]');
      expect(await row.count()).toBe(1);
      expect(await row.locator('pre').allTextContents()).toEqual([
        JSON.stringify(made.onB.data, null, 2),
        JSON.stringify(made.onA.data, null, 2),
      ]);
      expect(await page.locator('pre img').count()).toBe(0);
      expect(await text('#conflict-count')).toBe('1');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      await row.getByRole('button', { name: 'Keep loser' }).click();
      await until('#notice', `Conflict on item ${made.itemId} resolved: loser kept.`);
      await until('#conflicts', 'No open conflicts.');
      expect(await text('#conflict-count')).toBe('0');

      await page.reload();
      await until('#node-id', 'a');
      expect(await page.locator('#login').isHidden()).toBe(true);
      await card.getByRole('button', { name: 'Sync now' }).click();
      await until('#notice', 'Synced with b: pulled 0, pushed 1, conflicts 0.');
      for (const node of [a, b]) {
        const item = (await request(node.url).get(`/items/${made.itemId}`).set(auth).expect(200)).body;
        expect(item).toMatchObject({ data: made.onA.data, origin: 'a' });
      }
      for (const status of ['open', 'resolved', 'dismissed']) {
        expect((await request(b.url).get(`/admin/conflicts?status=${status}`).set(auth).expect(200)).body.conflicts).toEqual([]);
      }
      expect((await request(a.url).get('/admin/conflicts?status=resolved').set(auth).expect(200)).body.conflicts).toHaveLength(1);
      expect(problems).toEqual([]);
    });

    // Peer jobs (API.md) answer more than today's node: the page must show each field it documents.
    it("renders a peer's job as API.md describes it: state, progress bar, backlog, next run, pause and resume", async () => {
      const { b } = cluster.nodes;
      const inFiveMinutes = new Date(Date.now() + 300_000).toISOString();
      const job = {
        id: 'b',
        url: b.url,
        state: 'backing-off',
        paused: true,
        lastSuccessAt: null,
        nextRunAt: inFiveMinutes,
        consecutiveFailures: 3,
        lastResult: {
          peer: 'b',
          ok: false,
          pulled: 0,
          pushed: 0,
          conflicts: 0,
          rounds: 1,
          durationMs: 4,
          error: 'unavailable: refused',
        },
        progress: { phase: 'push', done: 250, total: 1000, itemsPerSecond: 812.4 },
        backlog: { push: 750 },
      };
      await page.route('**/admin/peers', (route) => route.fulfill({ json: { peers: [job] } }));
      try {
        await page.goto(`${cluster.nodes.a.url}/status`);
        await page.evaluate(`sessionStorage.setItem('logsync.apiToken', ${JSON.stringify(TOKEN)})`);
        await page.reload();
        const card = page.locator('[data-peer="b"]');
        await until('[data-peer="b"] .badge', 'backing-off');
        await until('[data-peer="b"] .facts', 'failed: unavailable: refused');
        expect(await card.locator('.facts').textContent()).toMatch(/750 to push.*Next runin 5 min.*Failures in a row3/);
        const bar = card.locator('progress');
        expect([await bar.getAttribute('value'), await bar.getAttribute('max')]).toEqual(['250', '1000']);
        expect(await card.locator('.progress').textContent()).toBe('push · 250 / 1,000 · 812 items/s');
        expect(await card.getByRole('button', { name: 'Pause' }).isDisabled()).toBe(true);
        expect(await card.getByRole('button', { name: 'Resume' }).isEnabled()).toBe(true);
        await page.screenshot({ path: SCREENSHOT.replace('.png', '-jobs.png'), fullPage: true });
      } finally {
        await page.unroute('**/admin/peers');
      }
    });
  });
});
