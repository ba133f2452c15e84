import { Client } from 'pg';
import request from 'supertest';
import { anItem } from '../factories/items';
import { Cluster, TEST_SECRET, itemStates, olderTransactionsEnded, startCluster } from '../support/cluster';
import { startNode } from '../support/node';

/** Every stored row of a node with the id of the transaction that last wrote it. */
async function rowVersions(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT id::text, xmin::text AS xmin, pos_xid::text, pos_seq::text FROM items ORDER BY id`)).rows;
  } finally {
    await client.end();
  }
}

async function sync(cluster: Cluster, from: string) {
  await olderTransactionsEnded();
  return cluster.sync(from);
}

/**
 * A peer whose database was reset gets back everything, including what came
 * from it, without this node rewriting a row: starting over is O(1) here,
 * whatever the size of the collection.
 */
describe('starting over with a reset peer', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await startCluster(['a', 'b']);
  });
  afterEach(() => cluster.stop());

  it('offers back what came from the peer and rewrites no row', async () => {
    const { a } = cluster.nodes;
    await request(a.url).post('/items').send(anItem()).expect(201);
    for (let i = 0; i < 3; i++) await request(cluster.nodes.b.url).post('/items').send(anItem()).expect(201);
    expect(await sync(cluster, 'a')).toMatchObject([{ ok: true, pulled: 3, pushed: 1 }]);
    expect(await sync(cluster, 'a')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
    const states = await itemStates(a);
    const rows = await rowVersions(a.database!.url);

    const port = Number(new URL(cluster.nodes.b.url).port);
    await cluster.nodes.b.stop();
    cluster.nodes.b = await startNode({ id: 'b', port, env: { PEERS: `a=${a.url}`, SYNC_SECRET: TEST_SECRET } });

    expect(await sync(cluster, 'a')).toMatchObject([{ peer: 'b', ok: true, pulled: 0, pushed: 4, rounds: 2 }]);
    expect(await itemStates(cluster.nodes.b)).toEqual(states);
    expect(await rowVersions(a.database!.url)).toEqual(rows);
    // What came back from a is an echo now: the next rounds move nothing either way.
    expect(await sync(cluster, 'a')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
    expect(await sync(cluster, 'b')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
  });
});
