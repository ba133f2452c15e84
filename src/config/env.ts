import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { redactUrl } from './redact';
import { ResourceLimits, readLimits } from './limits';

/** A node id, as API.md allows it: 1–32 of `a-z 0-9 _ -`. */
export const NODE_ID_PATTERN = /^[a-z0-9_-]{1,32}$/;

export interface PeerConfig {
  id: string;
  /** As configured, credentials included: only the peer client uses it. */
  url: string;
  /** `url` with any credentials replaced by `***`: what errors, logs and `/admin/peers` show. */
  shownUrl: string;
}

/** Shared secrets shorter than this are refused at start-up. */
export const MIN_SECRET_LENGTH = 32;
/** The last representable millisecond of year 9999. */

/**
 * The node's whole configuration, read once from the environment at boot and
 * injected everywhere else. Nothing outside this folder reads `process.env`.
 */
export class AppConfig {
  nodeId: string;
  port: number;
  host: string;
  /** Unset means the embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  peers: PeerConfig[];
  syncSecret?: string;
  apiToken?: string;
  syncIntervalMs: number;
  /** Near-live sync: a round with every other peer this long after the log changes; 0 turns it off. */
  syncDebounceMs: number;
  nodePriority: number;
  conflictWindowMs: number;
  clockOffsetMs: number;
  /** A version stamped further ahead of this node's clock is refused. */
  maxFutureMs: number;
  logFormat: LogFormat;
  /** Database pool, timeouts and peer request bounds: see limits.ts. */
  limits: ResourceLimits;
}

export type LogFormat = 'text' | 'json';

/** A configuration problem; its message is the one line printed before exiting. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(['localhost', '::1']);

/** MAX_FUTURE_MS beyond the schema's last representable time would mean no bound at all. */
const LAST_MS_OF_YEAR_9999 = 253402300799999;

function fail(name: string, problem: string): never {
  throw new ConfigError(`${name}: ${problem}`);
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) fail(name, `must be an integer, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) fail(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** `echo: false` for a URL that may carry a password: the error line ends up in logs. */
function readUrl(name: string, raw: string, protocols: string[], echo = true): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, echo ? `is not a valid URL: "${raw}"` : 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) fail(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  return raw.replace(/\/+$/, '');
}

function readNodeId(name: string, raw: string): string {
  if (!NODE_ID_PATTERN.test(raw)) fail(name, `must be 1-32 of a-z 0-9 _ -, got "${raw}"`);
  return raw;
}

function readPeers(raw: string | undefined, nodeId: string): PeerConfig[] {
  if (!raw || raw.trim() === '') return [];
  const peers = raw.split(',').map((part, i) => {
    const eq = part.indexOf('=');
    // A fragment holding `@` may be the tail of a password cut at a comma: it is not echoed.
    if (eq < 0) fail('PEERS', `entry ${part.includes('@') ? `${i + 1}` : `"${part}"`} is not id=url`);
    const id = readNodeId('PEERS', part.slice(0, eq).trim());
    // Not echoed: a PEERS url may carry a password, or a piece of one cut at a comma.
    const url = readUrl('PEERS', part.slice(eq + 1).trim(), ['http:', 'https:'], false);
    return { id, url, shownUrl: redactUrl(url) };
  });
  const ids = new Set<string>();
  for (const peer of peers) {
    if (peer.id === nodeId) fail('PEERS', `lists this node's own id "${nodeId}"`);
    if (ids.has(peer.id)) fail('PEERS', `lists "${peer.id}" twice`);
    ids.add(peer.id);
  }
  return peers;
}

function isLoopback(host: string): boolean {
  if (LOOPBACK_HOSTS.has(host)) return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A shared secret: never echoed, at least MIN_SECRET_LENGTH characters. */
function readSecret(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
    fail(name, `must be at least ${MIN_SECRET_LENGTH} characters, got ${value.length}`);
  }
  return value;
}

/** LOG_FORMAT alone, never throwing: a node that cannot start still prints its one line in the format asked for. */
export function readLogFormat(env: Env = process.env): LogFormat {
  return env.LOG_FORMAT === 'json' ? 'json' : 'text';
}

/** Reads and validates the environment; throws `ConfigError` naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const config = new AppConfig();
  config.nodeId = readNodeId('NODE_ID', env.NODE_ID ?? 'node');
  config.port = readInt(env, 'PORT', 3000, 0, 65535);
  config.host = optional(env, 'HOST') ?? '127.0.0.1';
  if (isIP(config.host) === 0 && config.host !== 'localhost')
    fail('HOST', `must be an IP address or localhost, got "${config.host}"`);
  config.databaseUrl = optional(env, 'DATABASE_URL');
  if (config.databaseUrl) readUrl('DATABASE_URL', config.databaseUrl, ['postgres:', 'postgresql:'], false);
  config.dataDir = resolve(optional(env, 'DATA_DIR') ?? `./data/${config.nodeId}`);
  const defaultUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  config.publicUrl = readUrl('PUBLIC_URL', optional(env, 'PUBLIC_URL') ?? defaultUrl, ['http:', 'https:']);
  config.peers = readPeers(env.PEERS, config.nodeId);
  config.syncSecret = readSecret(env, 'SYNC_SECRET');
  config.apiToken = readSecret(env, 'API_TOKEN');
  config.syncIntervalMs = readInt(env, 'SYNC_INTERVAL_MS', 30000, 0, 2 ** 31 - 1);
  config.syncDebounceMs = readInt(env, 'SYNC_DEBOUNCE_MS', 500, 0, 2 ** 31 - 1);
  config.nodePriority = readInt(env, 'NODE_PRIORITY', 0, -(2 ** 31), 2 ** 31 - 1);
  config.conflictWindowMs = readInt(env, 'CONFLICT_WINDOW_MS', 0, 0, 2 ** 31 - 1);
  config.clockOffsetMs = readInt(env, 'CLOCK_OFFSET_MS', 0, -(2 ** 41), 2 ** 41);
  config.maxFutureMs = readInt(env, 'MAX_FUTURE_MS', 86_400_000, 0, LAST_MS_OF_YEAR_9999);
  const logFormat = optional(env, 'LOG_FORMAT') ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') fail('LOG_FORMAT', `must be text or json, got "${logFormat}"`);
  config.logFormat = logFormat;
  config.limits = readLimits((name, fallback, min, max) => readInt(env, name, fallback, min, max));

  if (config.peers.length > 0 && !config.syncSecret) fail('SYNC_SECRET', 'is required when PEERS is set');
  if (!config.apiToken && !isLoopback(config.host)) {
    fail('HOST', `is "${config.host}" but a node without API_TOKEN listens on loopback only`);
  }
  return config;
}
