import fc from 'fast-check';
import { SideVersion } from '../../src/sync/merge-plan';
import type { VersionKey } from '../../src/core/version';
import { aVersion, fingerprintArb, relatedVersionArb, versionArb, windowArb } from './versions';

/**
 * Builders for the merge plan's input: one side's version of an item (key,
 * history, whether it changed since the last sync) and whole local/remote
 * views. Each side's `replaces` is often the other side's fingerprint, so
 * causal edits turn up as often as concurrent ones.
 */

export const ITEM_ID = '0b6f3c1e-6c1a-4d3e-9a57-2f0e7b8f1c2d';

export function aSide(overrides: Partial<SideVersion> = {}): SideVersion {
  return { id: ITEM_ID, ...aVersion(), deleted: false, replaces: null, changedSinceSync: false, ...overrides };
}

export type Presence = 'both' | 'local' | 'remote' | 'neither';

/** What one item looks like on both sides; `undefined` where that side lacks it. */
export interface ItemSides {
  local?: SideVersion;
  remote?: SideVersion;
}

/** `null`, the other side's fingerprint (a causal edit of it), or any fingerprint. */
function replacesArb(other: VersionKey): fc.Arbitrary<string | null> {
  return fc.oneof(fc.constant(null), fc.constant(other.fingerprint), fingerprintArb);
}

function sideOf(id: string, key: VersionKey, other: VersionKey): fc.Arbitrary<SideVersion> {
  return fc.record({ deleted: fc.boolean(), replaces: replacesArb(other), changedSinceSync: fc.boolean() }).map((rest) => ({
    id,
    ...key,
    ...rest,
  }));
}

/** Both sides of one item, the remote key related to the local one so that equal keys occur. */
export function itemSidesArb(id: string, windowMs: number): fc.Arbitrary<ItemSides> {
  const presenceArb = fc.oneof(
    { arbitrary: fc.constant<Presence>('both'), weight: 4 },
    { arbitrary: fc.constantFrom<Presence>('local', 'remote', 'neither'), weight: 1 },
  );
  return fc.tuple(presenceArb, versionArb(windowMs)).chain(([presence, localKey]) =>
    relatedVersionArb(localKey, windowMs).chain((remoteKey) =>
      fc.tuple(sideOf(id, localKey, remoteKey), sideOf(id, remoteKey, localKey)).map(([local, remote]) => ({
        local: presence === 'both' || presence === 'local' ? local : undefined,
        remote: presence === 'both' || presence === 'remote' ? remote : undefined,
      })),
    ),
  );
}

export interface PlanInput {
  windowMs: number;
  ids: string[];
  local: Map<string, SideVersion>;
  remote: Map<string, SideVersion>;
}

/** A window, up to `maxItems` distinct ids and each side's view of them. */
export function planInputArb(maxItems = 12): fc.Arbitrary<PlanInput> {
  return fc.tuple(windowArb, fc.integer({ min: 0, max: maxItems })).chain(([windowMs, count]) => {
    const ids = Array.from({ length: count }, (_, i) => `item-${i}`);
    return fc.tuple(...ids.map((id) => itemSidesArb(id, windowMs))).map((sides) => {
      const local = new Map<string, SideVersion>();
      const remote = new Map<string, SideVersion>();
      sides.forEach((side, i) => {
        if (side.local) local.set(ids[i], side.local);
        if (side.remote) remote.set(ids[i], side.remote);
      });
      return { windowMs, ids, local, remote };
    });
  });
}
