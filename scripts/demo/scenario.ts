import { randomUUID } from 'node:crypto';
import { call, ItemVersion } from './api';
import type { DemoNode } from './mesh';

/** What the scenario did, for the report. */
export interface Scenario {
  sharedId: string;
  deletedId: string;
  /** The two concurrent edits of the shared item: node id and the version it wrote. */
  edits: { node: string; version: ItemVersion }[];
}

const SAMPLES: Record<string, string[]> = {
  a: ['buy milk', 'call the plumber', 'renew passport'],
  b: ['book flights', 'water the plants', 'pay rent'],
  c: ['fix the bike', 'read chapter 3', 'send invoice'],
};

/** Step 1: every node writes its own items; node a also writes the item everyone will share. */
export async function writeSamples(nodes: DemoNode[]): Promise<{ sharedId: string; deletedId: string }> {
  const written = await Promise.all(
    nodes.map(async (node) =>
      Promise.all(
        (SAMPLES[node.id] ?? ['sample one', 'sample two']).map((title) =>
          call<ItemVersion>('POST', `${node.url}/items`, { data: { title, by: node.id } }),
        ),
      ),
    ),
  );
  const shared = await call<ItemVersion>('POST', `${nodes[0].url}/items`, {
    id: randomUUID(),
    data: { title: 'team lunch', place: 'the usual', by: nodes[0].id },
  });
  return { sharedId: shared.id, deletedId: written[written.length - 1][0].id };
}

/**
 * Step 2, after everyone holds the shared item: the first two nodes edit it at
 * the same moment (neither has seen the other's edit: a conflict), and the
 * second node deletes an item the last node wrote.
 */
export async function editConcurrently(nodes: DemoNode[], sharedId: string, deletedId: string): Promise<Scenario> {
  const [first, second] = nodes;
  const places: Record<string, string> = { [first.id]: 'the new ramen bar', [second.id]: 'the park, picnic' };
  const edits = await Promise.all(
    [first, second].map(async (node) => ({
      node: node.id,
      version: await call<ItemVersion>('PUT', `${node.url}/items/${sharedId}`, {
        data: { title: 'team lunch', place: places[node.id], by: node.id },
      }),
    })),
  );
  await call('DELETE', `${second.url}/items/${deletedId}`);
  return { sharedId, deletedId, edits };
}
