/**
 * What keeps a node answering under load or when something it depends on
 * stops answering: the database pool and its timeouts, and how long and how
 * much a peer may take to answer one request.
 */
export interface ResourceLimits {
  /** Connections in the work pool (the embedded database always has one). */
  dbPoolSize: number;
  /** How long a request waits for a pooled connection before it fails (503). */
  dbAcquireTimeoutMs: number;
  /** `statement_timeout` of the work pool: ample for applying a 16 MiB push. */
  dbStatementTimeoutMs: number;
  /** How long `GET /health` waits for the database before answering 503. */
  healthTimeoutMs: number;
  /** The whole of one request to a peer, body included. */
  peerTimeoutMs: number;
}

const HOUR_MS = 3_600_000;

/** `readInt(name, fallback, min, max)` is env.ts's integer reader, so the environment is still read in one place. */
export function readLimits(readInt: (name: string, fallback: number, min: number, max: number) => number): ResourceLimits {
  return {
    dbPoolSize: readInt('DB_POOL_SIZE', 10, 2, 1000),
    dbAcquireTimeoutMs: readInt('DB_ACQUIRE_TIMEOUT_MS', 10_000, 100, HOUR_MS),
    dbStatementTimeoutMs: readInt('DB_STATEMENT_TIMEOUT_MS', 60_000, 100, HOUR_MS),
    healthTimeoutMs: readInt('HEALTH_TIMEOUT_MS', 2_000, 100, HOUR_MS),
    peerTimeoutMs: readInt('PEER_TIMEOUT_MS', 60_000, 100, HOUR_MS),
  };
}
