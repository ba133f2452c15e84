import { Client } from 'pg';
import { TestDatabase, createDatabase } from '../support/database';
import { callNode, connectTo, countItems, itemsDigest, seedItems, syncWith } from '../support/bulk-items';
import { ProcessNode, buildNode, freePort, killAllNodes, spawnNode } from '../support/process-node';

/**
 * DESIGN.md, "A sync round with one peer", step 6: a long initial sync that
 * dies resumes from its last saved page. Both nodes are real processes; the
 * syncing one is killed with SIGKILL mid-sync, so nothing gets to clean up.
 */
const N = 20_000;
const ITEM_BYTES = 1000;
const PAGE = 1000;
const SECRET = 'resume-test-secret-padded-to-32-chars';
const TOKEN = 'resume-test-token-padded-to-32-chars';

describe('a node killed in the middle of a large sync', () => {
  let dbA: TestDatabase;
  let dbB: TestDatabase;
  let pgA: Client;
  let pgB: Client;
  let a: ProcessNode;
  let bEnv: Record<string, string>;
  let bPort: number;

  beforeAll(async () => {
    buildNode();
    [dbA, dbB] = await Promise.all([createDatabase('resume_a'), createDatabase('resume_b')]);
    bPort = await freePort();
    a = await spawnNode({
      id: 'a',
      port: await freePort(),
      // a accepts signed requests only from its PEERS; it never syncs itself.
      env: {
        DATABASE_URL: dbA.url,
        PEERS: `b=http://127.0.0.1:${bPort}`,
        SYNC_SECRET: SECRET,
        API_TOKEN: TOKEN,
        SYNC_INTERVAL_MS: '0',
      },
    });
    bEnv = { DATABASE_URL: dbB.url, PEERS: `a=${a.url}`, SYNC_SECRET: SECRET, API_TOKEN: TOKEN, SYNC_INTERVAL_MS: '0' };
    const seeding = Date.now();
    await seedItems(a.url, TOKEN, 'a', N, { batch: PAGE, bytes: ITEM_BYTES });
    console.log(`seeded ${N} items of ~${ITEM_BYTES} bytes on a in ${Date.now() - seeding} ms`);
    [pgA, pgB] = await Promise.all([connectTo(dbA.url), connectTo(dbB.url)]);
  }, 110_000);

  afterAll(async () => {
    await killAllNodes();
    await Promise.all([pgA?.end(), pgB?.end()].map((p) => p?.catch(() => undefined)));
    await Promise.all([dbA?.drop(), dbB?.drop()].map((p) => p?.catch(() => undefined)));
  });

  it('loses nothing and, restarted, resumes from its checkpoint rather than starting over', async () => {
    expect(await itemsDigest(pgA)).toMatchObject({ count: N });

    // First run of b: start the initial sync without waiting for its answer; kill b part-way.
    let b = await spawnNode({ id: 'b', port: bPort, env: bEnv });
    const started = Date.now();
    const doomed = syncWith(b.url, 'a', TOKEN).then(
      (result) => ({ answered: result }),
      (error: Error) => ({ failed: error.message }),
    );
    let seen = 0;
    while (seen < N / 2) {
      seen = await countItems(pgB);
      if (seen >= N - 3 * PAGE) throw new Error(`the sync got to ${seen} items before it could be killed: make N larger`);
      if (Date.now() - started > 60_000) throw new Error(`the sync reached only ${seen} items in 60 s:\n${b.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const peers = await callNode(b.url, 'GET', '/admin/peers', { token: TOKEN });
    const running = peers.body.peers[0].running;
    const progressAtKill = running ? `${running.phase} ${running.done}/${running.total}` : 'none';
    const exit = await b.kill('SIGKILL');
    const killedAfterMs = Date.now() - started;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await doomed).toHaveProperty('failed');

    // What survived the kill: the items of every committed page, and the cursor saved with the last one.
    const atKill = await countItems(pgB);
    const { rows: saved } = await pgB.query(`SELECT remote_cursor, local_cursor FROM peer_checkpoints WHERE peer = 'a'`);
    expect(saved).toHaveLength(1);
    expect(saved[0].remote_cursor).toEqual(expect.any(String));
    expect(saved[0].local_cursor).toBeNull(); // the push phase never started
    expect(atKill).toBeGreaterThan(3 * PAGE);
    expect(atKill).toBeLessThan(N);
    // a's log after the saved cursor: what a resumed sync has left to read.
    const rest = await callNode(
      a.url,
      'GET',
      `/items/transactions?limit=1&include=remaining&after=${encodeURIComponent(saved[0].remote_cursor)}`,
      { token: TOKEN },
    );
    expect(rest.status).toBe(200);
    const afterCheckpoint = rest.body.entries.length + rest.body.remaining;
    expect(afterCheckpoint).toBeGreaterThanOrEqual(N - atKill);
    expect(afterCheckpoint).toBeLessThanOrEqual(N - atKill + PAGE);

    // Restarted on the same database, b resumes: it applies only what it lacked.
    // `pulled` alone cannot tell (a restart from scratch would find the first pages unchanged and apply
    // the same versions), so b's own progress report says how much of a's log this sync set out to read.
    b = await spawnNode({ id: 'b', port: bPort, env: bEnv });
    let secondDone = false;
    const secondSync = syncWith(b.url, 'a', TOKEN).finally(() => (secondDone = true));
    let toRead: number | undefined;
    while (!secondDone && toRead === undefined) {
      const { body } = await callNode(b.url, 'GET', '/admin/peers', { token: TOKEN });
      const running = body.peers.find((peer: { id: string }) => peer.id === 'a')?.running;
      if (running?.phase === 'pull') toRead = running.total;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const second = await secondSync;
    const [onA, onB] = await Promise.all([itemsDigest(pgA), itemsDigest(pgB)]);
    const third = await syncWith(b.url, 'a', TOKEN);
    console.log(
      [
        'sync resume figures:',
        `  N (items on a)                      ${N} x ~${ITEM_BYTES} B`,
        `  b killed (SIGKILL) after            ${killedAfterMs} ms of its initial sync`,
        `  items on b at kill                  ${atKill} (${((100 * atKill) / N).toFixed(1)}%); b's last progress report: ${progressAtKill}`,
        `  a's log entries after b's cursor    ${afterCheckpoint}`,
        `  log entries the restarted sync read ${toRead} (progress total on GET /admin/peers; starting over would read ${N})`,
        `  pulled by the sync after restart    ${second.pulled} (N - at kill = ${N - atKill}) in ${second.durationMs} ms, ${second.rounds} round(s)`,
        `  items on b / on a afterwards        ${onB.count} / ${onA.count}, digests ${onB.digest === onA.digest ? 'equal' : 'DIFFER'}`,
        `  third sync                          pulled ${third.pulled}, pushed ${third.pushed} in ${third.durationMs} ms`,
      ].join('\n'),
    );

    expect(toRead).toBe(afterCheckpoint);
    expect(second).toMatchObject({ peer: 'a', ok: true, pushed: 0, conflicts: 0 });
    expect(second.pulled).toBeLessThan(N);
    expect(second.pulled).toBeGreaterThanOrEqual(N - atKill);
    expect(second.pulled).toBeLessThanOrEqual(N - atKill + PAGE);
    // Nothing lost, nothing extra: the same N items with the same fingerprints on both nodes.
    expect(onB).toEqual(onA);
    expect(onB.count).toBe(N);
    expect(third).toMatchObject({ ok: true, pulled: 0, pushed: 0, conflicts: 0 });
  });
});
