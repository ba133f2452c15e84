import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/db/schema';

/** The benchmark's PostgreSQL: an administrative URL, and one database per node or baseline. */
export class BenchDatabases {
  private readonly created = new Set<string>();

  constructor(private readonly adminUrl: string) {}

  url(name: string): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Drops `name` if it exists and creates it fresh with the node's schema. */
  async fresh(name: string): Promise<void> {
    await this.drop(name);
    await this.query('postgres', `CREATE DATABASE ${name}`);
    this.created.add(name);
    const source = new DataSource({ type: 'postgres', url: this.url(name), migrations: MIGRATIONS });
    await source.initialize();
    await source.runMigrations();
    await source.destroy();
  }

  async drop(name: string): Promise<void> {
    await this.query('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    this.created.delete(name);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.created]) await this.drop(name);
  }

  async query<T = Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: db === 'postgres' ? this.adminUrl : this.url(db) });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /**
   * Calls `seen` every `everyMs` with how many log positions `db` has issued
   * (one per row written), read off the position sequence: progress of a
   * sync that costs the node's database nothing. Returns a function that stops.
   */
  async watchPositions(db: string, everyMs: number, seen: (positions: number) => void): Promise<() => Promise<void>> {
    const client = new Client({ connectionString: this.url(db) });
    await client.connect();
    let stopped = false;
    const polling = (async () => {
      while (!stopped) {
        const { rows } = await client.query(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM items_pos_seq`);
        seen(Number(rows[0].n));
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
    return async () => {
      stopped = true;
      await polling;
      await client.end();
    };
  }

  /** Count and a digest of every (id, fingerprint): equal digests mean equal collections. */
  async digest(db: string): Promise<{ count: number; digest: string }> {
    const [row] = await this.query<{ count: number; digest: string }>(
      db,
      `SELECT count(*)::int AS count, md5(string_agg(id::text || ':' || fingerprint, ',' ORDER BY id)) AS digest FROM items`,
    );
    return row;
  }

  /**
   * `COPY … FROM STDIN` of a CSV file through the psql client, the fastest
   * way PostgreSQL takes rows: the baseline the initial sync is measured against.
   */
  async copyFromStdin(db: string, columns: string, csvPath: string): Promise<void> {
    const input = openSync(csvPath, 'r');
    try {
      const command = `\\copy items (${columns}) from stdin with (format csv)`;
      const psql = spawn('psql', [this.url(db), '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], {
        stdio: [input, 'ignore', 'inherit'],
      });
      const [code] = await once(psql, 'exit');
      if (code !== 0) throw new Error(`psql \\copy into ${db} exited with ${code}`);
    } finally {
      closeSync(input);
    }
  }
}
