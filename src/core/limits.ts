/**
 * Every limit of the protocol and of this node, in one place. Pages, batches
 * and pushes share one size so that a page of either log fits in one push and
 * one batch fetch.
 */

/** Ids one `POST /items/batch` may ask for. */
export const MAX_IDS_PER_BATCH = 1000;
/** Entries one `POST /items/bulk` may carry. */
export const MAX_BULK_ENTRIES = 1000;
/** Entries one `PUT /items/transactions` may carry. */
export const MAX_ENTRIES_PER_PUSH = 1000;
/** Entries the reconciler reads per page of either log: as many as one push or one batch fetch may carry. */
export const SYNC_PAGE_SIZE = Math.min(MAX_IDS_PER_BATCH, MAX_ENTRIES_PER_PUSH);

/** `GET /items/transactions?limit=`: default and largest. */
export const LOG_PAGE_DEFAULT = 1000;
export const LOG_PAGE_MAX = 10000;
/** `GET /items?limit=`: default and largest. */
export const ITEMS_PAGE_DEFAULT = 100;
export const ITEMS_PAGE_MAX = 1000;
/** `GET /admin/conflicts?limit=`: default and largest. */
export const CONFLICTS_PAGE_DEFAULT = 100;
export const CONFLICTS_PAGE_MAX = 1000;
/** Peers one `POST /admin/sync` may name. */
export const MAX_PEERS_PER_SYNC = 100;
/** Runs kept per peer (older ones are pruned as new ones are recorded), and `GET /admin/peers/:id/runs?limit=`. */
export const RUNS_KEPT = 1000;
export const RUNS_PAGE_DEFAULT = 100;
/** A peer's push backlog is counted up to this many log entries; a larger one reads as this number. */
export const BACKLOG_COUNT_CAP = 100_000;

/** The largest `data` object a version may carry, serialised. */
export const MAX_DATA_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused before it can exhaust a stack in JS or PostgreSQL. */
export const MAX_DATA_DEPTH = 100;
/** A log page with bodies stops growing past this many bytes of data, whatever the limit. */
export const MAX_PAGE_DATA_BYTES = 8 * 1024 * 1024;
/** The most item data one answer of `GET /items`, `POST /items/batch` or `GET /admin/conflicts` carries (always at least one). */
export const MAX_ANSWER_DATA_BYTES = 8 * 1024 * 1024;
/** The most conflict-record data one insert statement carries. */
export const MAX_RECORD_WRITE_BYTES = 8 * 1024 * 1024;

/** The largest request body a node reads: a push of up to MAX_ENTRIES_PER_PUSH entries. */
export const MAX_REQUEST_BODY = 16 * 1024 * 1024;
/** What the sync aims one request or answer of bodies at: well under the peer's MAX_REQUEST_BODY. */
export const TARGET_REQUEST_BYTES = 4 * 1024 * 1024;

/** How far a signed request's timestamp may be from this node's clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The last representable millisecond of year 9999, the schema's upper bound for `updatedAt`. */
export const MAX_TIME_MS = 253402300799999;

/**
 * Text sent in pieces (answers of pages and batches, COPY rows) is cut at
 * about this many characters: small enough to be allocated and reused among
 * the runtime's young objects, where larger strings and buffers each take
 * freshly mapped memory (page faults on every page; measured here, 256 KiB
 * pieces cost about seven times the CPU of 32 KiB ones).
 */
export const TEXT_PIECE_CHARS = 32 * 1024;
