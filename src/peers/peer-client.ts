import { randomBytes } from 'node:crypto';
import { Dispatcher, request } from 'undici';
import { signedHeaders } from '../auth/signature';
import { REFUSAL } from '../common/refusal';
import { PeerConfig } from '../config/env';
import type { ItemView } from '../items/item.view';
import type { ApplyCounts } from '../core/version';
import type { LogEntryView, LogPage } from '../transactions/log-entry.view';

/** Why a call to a peer failed; the reconciler decides what each means for the round. */
export type PeerErrorKind =
  | 'unauthorized' // 401/403: wrong secret, or the peer refused our clock
  | 'clock-skew' // 401 because our timestamps are too far from the peer's clock
  | 'push-conflict' // 409: items changed on the peer after our basis
  | 'foreign-cursor' // 400: our cursor is from before the peer's database was reset
  | 'rejected' // any other 4xx
  | 'unavailable'; // network failure, timeout or 5xx

export class PeerError extends Error {
  constructor(
    readonly kind: PeerErrorKind,
    message: string,
    readonly status?: number,
    readonly conflicts: string[] = [],
  ) {
    super(message);
  }
}

export interface LogReadOptions {
  data?: boolean;
  remaining?: boolean;
  signal?: AbortSignal;
}

export type PushEntryBody = Omit<LogEntryView, 'recordedAt' | 'itemURI'>;

/** How long one request to a peer may take before the round gives up on it. */
const REQUEST_TIMEOUT_MS = 60_000;

function classify(status: number, body: { message?: string; reason?: string; conflicts?: string[] }): PeerError {
  const message = `HTTP ${status}: ${body.message ?? 'no message'}`;
  if (status === 409) return new PeerError('push-conflict', message, status, body.conflicts ?? []);
  if (status === 401 && body.reason === REFUSAL.clockSkew) return new PeerError('clock-skew', message, status);
  if (status === 401 || status === 403) return new PeerError('unauthorized', message, status);
  if (status === 400 && body.reason === REFUSAL.foreignCursor) return new PeerError('foreign-cursor', message, status);
  if (status >= 400 && status < 500) return new PeerError('rejected', message, status);
  return new PeerError('unavailable', message, status);
}

/**
 * The node-to-node calls of API.md, each request signed with the shared
 * secret over its exact bytes. Requests go through undici with a pooled,
 * kept-alive dispatcher owned by the caller.
 */
export class PeerClient {
  constructor(
    readonly peer: PeerConfig,
    private readonly nodeId: string,
    private readonly secret: string,
    private readonly now: () => number,
    private readonly dispatcher: Dispatcher,
  ) {}

  /**
   * A page of the peer's log, with each entry's history; on request each
   * entry's body (`data`) and about how many entries follow (`remaining`).
   * `signal` aborts the request (a page read ahead).
   */
  readLog(after: string | undefined, limit: number, options: LogReadOptions = {}): Promise<LogPage> {
    const include = ['replaces', ...(options.data ? ['data'] : []), ...(options.remaining ? ['remaining'] : [])];
    const query = new URLSearchParams({ limit: String(limit), include: include.join(',') });
    if (after !== undefined) query.set('after', after);
    return this.call('GET', `/items/transactions?${query}`, undefined, options.signal);
  }

  /** The peer's versions of `ids` (at most 1000), with or without bodies, and the size of the answer. */
  async fetchItems(ids: string[], withData = true): Promise<{ items: ItemView[]; bytes: number; missing: string[] }> {
    if (ids.length === 0) return { items: [], bytes: 0, missing: [] };
    const body = withData ? { ids } : { ids, withData: false };
    const { parsed, bytes } = await this.send<{ items: ItemView[]; missing?: string[] }>('POST', '/items/batch', body);
    return { items: parsed.items, bytes, missing: parsed.missing ?? [] };
  }

  push(basis: string | undefined, entries: PushEntryBody[]): Promise<ApplyCounts> {
    return this.call('PUT', '/items/transactions', { node: this.nodeId, basis, entries });
  }

  private async call<T>(method: string, path: string, payload?: unknown, signal?: AbortSignal): Promise<T> {
    return (await this.send<T>(method, path, payload, signal)).parsed;
  }

  /**
   * Every request carries a random `nonce` in its signed path. The signature
   * covers method, path, time and body but not the sender, so two nodes
   * sending the same request in the same millisecond would otherwise sign it
   * identically, and the peer would refuse the second as a replay.
   */
  private async send<T>(
    method: string,
    route: string,
    payload?: unknown,
    signal?: AbortSignal,
  ): Promise<{ parsed: T; bytes: number }> {
    const path = `${route}${route.includes('?') ? '&' : '?'}nonce=${randomBytes(8).toString('hex')}`;
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = {
      ...signedHeaders(this.secret, this.nodeId, { method, path, body }, this.now()),
      accept: 'application/json',
    };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const response = await request(`${this.peer.url}${path}`, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: payload === undefined ? undefined : body,
        dispatcher: this.dispatcher,
        signal,
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new PeerError('unavailable', `${this.peer.id} at ${this.peer.url} unreachable: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new PeerError('unavailable', `${this.peer.id} answered ${status} with a body that is not JSON`);
    }
    if (status < 200 || status >= 300) throw classify(status, parsed as Record<string, never>);
    return { parsed: parsed as T, bytes: text.length };
  }
}
