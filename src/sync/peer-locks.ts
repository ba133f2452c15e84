import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/env';
import { DatabaseHost } from '../db/database.module';

/** How often a sync that must wait asks again for a peer's lock another process holds. */
const RETRY_MS = 100;

/**
 * One sync per peer across every process of this node: a PostgreSQL session
 * advisory lock per peer, all held on one connection of their own, outside
 * the work pool. Held on pooled connections, N rounds would hold N
 * connections and each wait for one more: with N ≥ pool size nothing moves
 * again. Waiting polls `pg_try_advisory_lock`, since a blocking
 * `pg_advisory_lock` would stall the shared connection for every peer.
 * If the connection drops, PostgreSQL releases its locks: the runs already
 * going finish unguarded, and the next lock opens a new connection.
 * The embedded database serves a single process, whose in-process guard is
 * enough (and whose one connection must not be held).
 */
@Injectable()
export class PeerLocks implements OnApplicationShutdown {
  private readonly logger = new Logger('PeerLocks');
  private connection?: Promise<Client>;
  /** The lock connection runs one statement at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: DatabaseHost,
    private readonly config: AppConfig,
  ) {}

  /**
   * Runs `work` holding the peer's lock. While another process holds it,
   * waits as long as `wait` says (asked before each wait), else returns undefined.
   * The release is not awaited: this connection runs statements in call
   * order, so any later lock this process takes comes after it, and another
   * process meets it at its next try.
   */
  async withLock<T>(peer: string, wait: boolean | (() => Promise<boolean>), work: () => Promise<T>): Promise<T | undefined> {
    if (this.host.isEmbedded) return work();
    const key = `logsync.sync:${peer}`;
    while (!(await this.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, key)).locked) {
      if (!(typeof wait === 'boolean' ? wait : await wait())) return undefined;
      await sleep(RETRY_MS);
    }
    try {
      return await work();
    } finally {
      // Once this turn of the event loop is over: what `work` answers goes out first.
      this.queue = this.queue.then(() => new Promise((resolve) => setImmediate(resolve)));
      this.query(`SELECT pg_advisory_unlock(hashtext($1))`, key).catch((error: Error) => {
        this.logger.warn(`could not release the lock of ${peer}: ${error.message}`);
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Any release still queued goes first.
    await this.queue;
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then((client) => client.end()).catch(() => undefined);
  }

  private query<R>(sql: string, key: string): Promise<R> {
    const next = this.queue.then(async () => {
      const client = await this.connect();
      try {
        return (await client.query(sql, [key])).rows[0] as R;
      } catch (error) {
        this.drop(client);
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private connect(): Promise<Client> {
    this.connection ??= this.open().catch((error: Error) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<Client> {
    const { dbAcquireTimeoutMs } = this.config.limits;
    const client = new Client({
      connectionString: await this.host.url(),
      application_name: 'logsync-locks',
      connectionTimeoutMillis: dbAcquireTimeoutMs,
      query_timeout: dbAcquireTimeoutMs,
      keepAlive: true,
    });
    client.on('error', (error) => {
      this.logger.warn(`the peer locks' connection failed: ${error.message}`);
      this.drop(client);
    });
    await client.connect();
    return client;
  }

  /** Forgets a failed connection, so the next lock opens a new one. */
  private drop(client: Client): void {
    void this.connection?.then((current) => {
      if (current !== client) return;
      this.connection = undefined;
      void client.end().catch(() => undefined);
    });
  }
}
