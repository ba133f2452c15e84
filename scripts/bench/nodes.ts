import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { request } from 'undici';
import type { BenchItem } from './collection';
import type { SyncResult } from '../../src/sync/sync-result';

export type { SyncResult };

export interface NodeSettings {
  id: string;
  port: number;
  databaseUrl: string;
  peer: { id: string; port: number };
  secret: string;
  token: string;
}

/** One real node process (`dist/src/main.js`), its HTTP API, and its resident memory sampled every 100 ms. */
export class BenchNode {
  private readonly process: ChildProcess;
  private readonly sampler: NodeJS.Timeout;
  private peakRssKiB = 0;

  constructor(private readonly settings: NodeSettings) {
    const env = {
      ...process.env,
      NODE_ID: settings.id,
      PORT: String(settings.port),
      DATABASE_URL: settings.databaseUrl,
      PEERS: `${settings.peer.id}=http://127.0.0.1:${settings.peer.port}`,
      SYNC_SECRET: settings.secret,
      API_TOKEN: settings.token,
      SYNC_INTERVAL_MS: '0',
      SYNC_DEBOUNCE_MS: '0',
    };
    const flags = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.process = spawn(process.execPath, [...flags, resolve(__dirname, '../../src/main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.sampler = setInterval(() => this.sample(), 100);
  }

  /** The highest VmRSS seen so far (since `resetPeak`), in MiB. */
  get peakRssMiB(): number {
    return Math.round(this.peakRssKiB / 1024);
  }

  /** Starts the peak over from the current VmRSS. */
  resetPeak(): void {
    this.peakRssKiB = 0;
    this.sample();
  }

  async ready(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (this.process.exitCode !== null) throw new Error(`node ${this.settings.id} exited with ${this.process.exitCode}`);
      const ok = await request(`${this.url}/health`).then(
        (r) => r.body.dump().then(() => r.statusCode === 200),
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`node ${this.settings.id} did not start`);
  }

  /** Writes `items` through `POST /items/bulk`, `perRequest` a request, `concurrency` requests at a time. */
  async bulkLoad(items: BenchItem[], perRequest = 1000, concurrency = 4): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const chunk = items.slice(next, next + perRequest);
        next += chunk.length;
        const answer = await this.call<{ results: { status: number; message?: string }[] }>('POST', '/items/bulk', {
          items: chunk,
        });
        const { results } = answer;
        const failed = results.find((r) => r.status !== 200 && r.status !== 201);
        if (failed) throw new Error(`bulk write on ${this.settings.id}: ${JSON.stringify(failed)}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** One `POST /admin/sync` with the peer; throws unless the round succeeded. */
  async sync(): Promise<SyncResult> {
    const { results } = await this.call<{ results: SyncResult[] }>('POST', '/admin/sync', { peers: [this.settings.peer.id] });
    if (!results[0]?.ok)
      throw new Error(`sync ${this.settings.id} <-> ${this.settings.peer.id} failed: ${JSON.stringify(results)}`);
    return results[0];
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    await once(this.process, 'exit');
  }

  private get url(): string {
    return `http://127.0.0.1:${this.settings.port}`;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await request(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.settings.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 600_000,
      bodyTimeout: 600_000,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new Error(`${method} ${path} on ${this.settings.id}: ${response.statusCode} ${text.slice(0, 300)}`);
    }
    return JSON.parse(text) as T;
  }

  private sample(): void {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.process.pid}/status`, 'utf8'));
      if (match) this.peakRssKiB = Math.max(this.peakRssKiB, Number(match[1]));
    } catch {
      // The process has exited: nothing more to sample.
    }
  }
}
