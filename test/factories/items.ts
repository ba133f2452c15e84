import { randomUUID } from 'node:crypto';
import { fingerprintOf } from '../../src/core/fingerprint';
import type { IncomingVersion } from '../../src/core/incoming-version';
import type { Version } from '../../src/core/version';
import type { PushEntryBody } from '../../src/peers/peer-client';

let counter = 0;

/** A small, distinct `data` object. */
export function someData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { name: `item ${counter}`, count: counter, tags: ['a', 'b'], nested: { ok: true }, ...overrides };
}

/** The body of `POST /items`: a client-chosen id and fresh data. */
export function anItem(overrides: { id?: string; data?: Record<string, unknown> } = {}) {
  return { id: randomUUID(), data: someData(), ...overrides };
}

/** An entry of `PUT /items/transactions` as a peer sends it. */
export type { PushEntryBody };

/**
 * A pushed version whose fingerprint matches its content (unless overridden).
 * `deleted: true` makes a tombstone with `data: null`.
 */
export function aPushEntry(overrides: Partial<PushEntryBody> = {}): PushEntryBody {
  const deleted = overrides.deleted ?? false;
  const data = 'data' in overrides ? overrides.data! : deleted ? null : someData();
  return {
    itemId: randomUUID(),
    updatedAt: new Date().toISOString(),
    origin: 'b',
    priority: 0,
    ...overrides,
    deleted,
    data,
    fingerprint: overrides.fingerprint ?? fingerprintOf(data ?? null, deleted),
  };
}

/** A version as the items repository stores it, for writes made below HTTP. */
export function anItemVersion(overrides: Partial<Version> = {}): Version {
  const deleted = overrides.deleted ?? false;
  const data = 'data' in overrides ? overrides.data! : deleted ? null : someData();
  return {
    id: randomUUID(),
    updatedAtMs: Date.now(),
    origin: 'a',
    priority: 0,
    replaces: null,
    ...overrides,
    deleted,
    data,
    fingerprint: overrides.fingerprint ?? fingerprintOf(data, deleted),
  };
}

/** A live version of `data` as another node hands it over, its fingerprint right. */
export function anIncomingVersion(data: Record<string, unknown>, overrides: Partial<IncomingVersion> = {}): IncomingVersion {
  return {
    id: '0b6f3c1e-6c1a-4d3e-9a57-2f0e7b8f1c2d',
    updatedAt: '2026-11-21T04:46:17.123Z',
    fingerprint: fingerprintOf(data, false),
    deleted: false,
    origin: 'a',
    priority: 0,
    data,
    replaces: null,
    ...overrides,
  };
}
