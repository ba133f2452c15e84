/**
 * Every environment variable a node reads (env.ts and limits.ts). Tools that
 * start nodes clear these from the environment they pass on, so a node gets
 * only what is set on purpose; the docker-compose check names no others.
 */
export const NODE_VARIABLES = [
  'NODE_ID',
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATA_DIR',
  'PUBLIC_URL',
  'PEERS',
  'SYNC_SECRET',
  'API_TOKEN',
  'SYNC_INTERVAL_MS',
  'NODE_PRIORITY',
  'CONFLICT_WINDOW_MS',
  'CLOCK_OFFSET_MS',
  'SYNC_DEBOUNCE_MS',
  'MAX_FUTURE_MS',
  'LOG_FORMAT',
  'DB_POOL_SIZE',
  'DB_ACQUIRE_TIMEOUT_MS',
  'DB_STATEMENT_TIMEOUT_MS',
  'HEALTH_TIMEOUT_MS',
  'PEER_TIMEOUT_MS',
] as const;
