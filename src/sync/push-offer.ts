import { LOG_START } from '../core/log-position';
import { ItemsRepository } from '../items/items.repository';
import { PeerClient, PeerError } from '../peers/peer-client';
import { BodyMover } from './body-mover';
import { planMerge } from './merge-plan';
import type { PullContext } from './pulled-apply';
import type { RoundTotals } from './round-totals';
import { sideFromItem } from './wire';

/** Where an offer goes: the peer, the cursor of its log this round read up to (`basis`), and the round's totals. */
export interface OfferTarget {
  client: PeerClient;
  mover: BodyMover;
  basis: string;
  context: PullContext;
  totals: RoundTotals;
}

/**
 * Offers this node's current versions of `ids` (items of its log) to the
 * peer: the peer's keys and this node's are read side by side and compared
 * before any body moves, so what the peer already holds is not sent. An
 * item that is an echo of the peer by now (pulled from it since its log
 * entry was read) is the peer's own version: left out. A version of the
 * peer's that beats ours was written there after `basis`: the round starts
 * again (409), and its pull phase, which sees conflicts, takes it.
 */
export async function offerOwn(items: ItemsRepository, target: OfferTarget, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const { client, mover, basis, context, totals } = target;
  const [answer, sides] = await Promise.all([client.fetchItems(ids, false), items.localSides(ids, LOG_START, context.echo)]);
  // Read since LOG_START, `changedSinceSync` says "not an echo of this peer".
  const local = new Map([...sides].filter(([, side]) => side.changedSinceSync));
  const offered = ids.filter((id) => local.has(id));
  const remote = new Map(answer.items.map((item) => [item.id, sideFromItem(item)]));
  const plan = planMerge(offered, local, remote, context.windowMs);
  // A version stamped too far ahead was left out by the pull phase too: it stays out, counted.
  const newer = plan.pull.filter((id) => !mover.tooFarAhead(remote.get(id)!));
  totals.refused += plan.pull.length - newer.length;
  if (newer.length > 0)
    throw new PeerError('push-conflict', `${newer.length} item(s) changed on ${mover.peer} during the round`, 409, newer);
  // Added once the push is done: the page settling meanwhile adds into the same totals.
  const pushed = await mover.push(plan.push, basis);
  totals.pushed += pushed;
}
