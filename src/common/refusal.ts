/**
 * Why a node refuses a request, as the `reason` field of its error body: a
 * closed set, set by the auth guard and the cursor decoders and read by the
 * peer client, so no one parses a message to learn what went wrong.
 */
export const REFUSAL = {
  /** Neither a valid signature nor a bearer token this route accepts. */
  missingCredentials: 'missing-credentials',
  /** A signed request to a node that has no SYNC_SECRET. */
  noSyncSecret: 'no-sync-secret',
  /** X-Sync-Node or X-Sync-Timestamp missing or malformed. */
  missingSignature: 'missing-signature',
  /** X-Sync-Timestamp too far from the receiver's clock. */
  clockSkew: 'clock-skew',
  badSignature: 'bad-signature',
  /** A signed request from an id that is not in this node's PEERS. */
  unknownSender: 'unknown-sender',
  /** A signature already used once. */
  replay: 'replay',
  /** A cursor or page token this node never issued. */
  badCursor: 'bad-cursor',
  /** A cursor of another node, or from before this node's database was reset or restored. */
  foreignCursor: 'foreign-cursor',
} as const;

export type Refusal = (typeof REFUSAL)[keyof typeof REFUSAL];
