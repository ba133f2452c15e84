import { randomBytes } from 'node:crypto';
import { Dispatcher, request } from 'undici';
import { signedHeaders } from '../auth/signature';
import { REFUSAL } from '../common/refusal';
import { PeerConfig } from '../config/env';
import { redactUrl } from '../config/redact';
import type { ItemView } from '../items/item.view';
import { parseJsonChunks } from '../core/json-lines';
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

/** An answer past the size cap: the same request for fewer items may fit. */
export class PeerAnswerTooLarge extends PeerError {}

export interface LogReadOptions {
  data?: boolean;
  remaining?: boolean;
  signal?: AbortSignal;
}

export type PushEntryBody = Omit<LogEntryView, 'recordedAt' | 'itemURI'>;

/** A request body already written as JSON text: sent as it is. */
class PushText {
  constructor(readonly text: string) {}
}

/**
 * The most a peer's answer may weigh: a log page or a batch holds at most
 * 8 MiB of data and a push at most 16 MiB, so anything past this is not an
 * answer of API.md, and reading it would only cost this node memory.
 */
export const MAX_RESPONSE_BYTES = 17 * 1024 * 1024;

export interface PeerClientLimits {
  /** The whole of one request, connection, headers and body included. */
  timeoutMs: number;
  maxResponseBytes?: number;
}

/** Reads a response body as the chunks it arrived in, giving up once it passes `limit` bytes. */
async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ chunks: Buffer[]; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    if (bytes > limit) {
      body.destroy();
      throw new PeerAnswerTooLarge('unavailable', `answer larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return { chunks, bytes };
}

function classify(status: number, body: { message?: string; reason?: string; conflicts?: string[] }): PeerError {
  const message = `HTTP ${status}: ${body.message ?? 'no message'}`;
  if (status === 409) return new PeerError('push-conflict', message, status, body.conflicts ?? []);
  if (status === 401 && body.reason === REFUSAL.clockSkew) return new PeerError('clock-skew', message, status);
  if (status === 401 || status === 403) return new PeerError('unauthorized', message, status);
  if (status === 400 && body.reason === REFUSAL.foreignCursor) return new PeerError('foreign-cursor', message, status);
  if (status >= 400 && status < 500) return new PeerError('rejected', message, status);
  return new PeerError('unavailable', message, status);
}

/** A peer URL without its `user:password@`, which goes in a Basic Authorization header instead (a proxy's). */
function splitCredentials(url: string): { base: string; authorization?: string } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { base: url };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { base: parsed.toString().replace(/\/+$/, ''), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/**
 * The node-to-node calls of API.md, each request signed with the shared
 * secret over its exact bytes. Requests go through undici with a pooled,
 * kept-alive dispatcher owned by the caller.
 */
export class PeerClient {
  private readonly target: { base: string; authorization?: string };

  constructor(
    readonly peer: PeerConfig,
    private readonly nodeId: string,
    private readonly secret: string,
    private readonly now: () => number,
    private readonly dispatcher: Dispatcher,
    private readonly limits: PeerClientLimits = { timeoutMs: 60_000 },
  ) {
    this.target = splitCredentials(peer.url);
  }

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
  /** `missing`: ids the peer left out to keep its answer within its byte bound, to ask for again. */
  async fetchItems(ids: string[], withData = true): Promise<{ items: ItemView[]; missing: string[]; bytes: number }> {
    if (ids.length === 0) return { items: [], missing: [], bytes: 0 };
    const body = withData ? { ids } : { ids, withData: false };
    const { parsed, bytes } = await this.send<{ items: ItemView[]; missing?: string[] }>('POST', '/items/batch', body);
    return { items: parsed.items, missing: parsed.missing ?? [], bytes };
  }

  /** `entries`: the JSON text of an array of `PushEntryBody`, sent as it is. */
  push(basis: string | undefined, entries: string): Promise<ApplyCounts> {
    const head = `{"node":${JSON.stringify(this.nodeId)},${basis === undefined ? '' : `"basis":${JSON.stringify(basis)},`}`;
    return this.call('PUT', '/items/transactions', new PushText(`${head}"entries":${entries}}`));
  }

  private async call<T>(method: string, path: string, payload?: unknown, signal?: AbortSignal): Promise<T> {
    return (await this.send<T>(method, path, payload, signal)).parsed;
  }

  /**
   * Every request carries a random `nonce` in its signed path. The signature
   * now covers sender and receiver, so two nodes never sign alike; the nonce
   * still keeps two identical requests of this node (say two processes, or a
   * conflict read and a pull of the same ids) in one millisecond from being
   * refused as a replay.
   */
  private async send<T>(
    method: string,
    route: string,
    payload?: unknown,
    abort?: AbortSignal,
  ): Promise<{ parsed: T; bytes: number }> {
    const path = `${route}${route.includes('?') ? '&' : '?'}nonce=${randomBytes(8).toString('hex')}`;
    const body = payload === undefined ? '' : payload instanceof PushText ? payload.text : JSON.stringify(payload);
    const headers: Record<string, string> = {
      ...signedHeaders(this.secret, { method, path, body, sender: this.nodeId, receiver: this.peer.id }, this.now()),
      accept: 'application/json',
    };
    if (this.target.authorization) headers.authorization = this.target.authorization;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const { status, chunks, bytes } = await this.exchange(method, path, headers, payload === undefined ? undefined : body, abort);
    let parsed: unknown;
    try {
      parsed = bytes === 0 ? {} : parseJsonChunks(chunks);
    } catch {
      throw new PeerError('unavailable', `${this.peer.id} answered ${status} with a body that is not JSON`);
    }
    if (status < 200 || status >= 300) throw classify(status, parsed as Record<string, never>);
    return { parsed: parsed as T, bytes };
  }

  /** One request within the deadline and the size cap: a silent or endless peer fails the call, never hangs it. */
  private async exchange(method: string, path: string, headers: Record<string, string>, body?: string, abort?: AbortSignal) {
    const { timeoutMs, maxResponseBytes = MAX_RESPONSE_BYTES } = this.limits;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = abort ? AbortSignal.any([deadline, abort]) : deadline;
    try {
      const response = await request(`${this.target.base}${path}`, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal,
      });
      return { status: response.statusCode, ...(await readCapped(response.body, maxResponseBytes)) };
    } catch (error) {
      if (error instanceof PeerAnswerTooLarge) throw error;
      const reason = abort?.aborted
        ? 'the read ahead was abandoned'
        : deadline.aborted
          ? `no complete answer within ${timeoutMs} ms`
          : redactUrl((error as Error).message);
      throw new PeerError('unavailable', `${this.peer.id} at ${this.peer.shownUrl} unreachable: ${reason}`);
    }
  }
}
