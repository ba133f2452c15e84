import { syncWith } from '../support/bulk-items';
import { FakePeer, silentPeer } from '../support/fake-peer';
import { TestNode, startNode } from '../support/node';
import { peerAction, runsOf, waitForPeer } from '../support/peers';

const SECRET = 'paused-sync-test-secret-of-32-chars';
/** Far longer than the test needs: the first run is still waiting on the silent peer when the second call answers. */
const PEER_TIMEOUT_MS = 60_000;

/**
 * A paused peer named in POST /admin/sync is answered `paused` at once: the
 * call waits neither for a run of that peer already going in this process
 * nor for one holding its lock in another process of the node.
 */
describe('POST /admin/sync naming a paused peer while a run with it goes on', () => {
  let peer: FakePeer | undefined;
  const nodes: TestNode[] = [];
  afterEach(async () => {
    await peer?.close();
    // The first node made the database the others share: it drops it, last.
    const [first, ...others] = nodes.splice(0);
    for (const node of others) await node.stop({ keepDatabase: true });
    await first?.stop();
  });

  async function nodeOn(database?: TestNode['database']): Promise<TestNode> {
    const env = { PEERS: `b=${peer!.url}`, SYNC_SECRET: SECRET, PEER_TIMEOUT_MS: String(PEER_TIMEOUT_MS) };
    const node = await startNode({ id: 'a', env, database });
    nodes.push(node);
    return node;
  }

  /** Starts a sync with the silent peer on `node`, and waits until every process sees it running. */
  async function hangingSync(node: TestNode): Promise<{ result: Promise<unknown>; ended: () => boolean }> {
    let ended = false;
    const result = syncWith(node.url, 'b').finally(() => (ended = true));
    await waitForPeer(node.url, 'b', (p) => p.state === 'running');
    return { result, ended: () => ended };
  }

  it('in the same process', async () => {
    peer = await silentPeer();
    const node = await nodeOn();
    const first = await hangingSync(node);
    expect((await peerAction(node.url, 'b', 'pause')).status).toBe(200);

    expect(await syncWith(node.url, 'b')).toMatchObject({ peer: 'b', ok: false, error: 'paused', rounds: 0 });
    expect(first.ended()).toBe(false);

    await peer.close();
    expect(await first.result).toMatchObject({ peer: 'b', ok: false, errorKind: 'unavailable' });
    expect(await runsOf(node.url, 'b')).toHaveLength(1);
  });

  it('in another process of the node, which holds the peer', async () => {
    peer = await silentPeer();
    const holder = await nodeOn();
    const other = await nodeOn(holder.database);
    const first = await hangingSync(holder);
    expect((await peerAction(other.url, 'b', 'pause')).status).toBe(200);

    expect(await syncWith(other.url, 'b')).toMatchObject({ peer: 'b', ok: false, error: 'paused', rounds: 0 });
    expect(first.ended()).toBe(false);

    await peer.close();
    expect(await first.result).toMatchObject({ peer: 'b', ok: false, errorKind: 'unavailable' });
    expect(await runsOf(other.url, 'b')).toHaveLength(1);
  });
});
