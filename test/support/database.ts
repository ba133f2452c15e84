import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The test PostgreSQL server (real, never mocked). */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test file or one node. */
export async function createDatabase(label = 'db'): Promise<TestDatabase> {
  const name = `logsync_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * The databases one test file makes, each with an open client: `open` makes
 * one, `dropAll` (in afterEach or afterAll) closes the clients and drops them.
 */
export class TestDatabases {
  private readonly made: { db: TestDatabase; pg?: Client }[] = [];

  async open(label: string): Promise<{ db: TestDatabase; pg: Client }> {
    const entry: { db: TestDatabase; pg?: Client } = { db: await createDatabase(label) };
    this.made.push(entry);
    const pg = new Client({ connectionString: entry.db.url });
    await pg.connect();
    entry.pg = pg;
    return { db: entry.db, pg };
  }

  async dropAll(): Promise<void> {
    const made = this.made.splice(0);
    await Promise.all(made.map(({ pg }) => pg?.end().catch(() => undefined)));
    await Promise.all(made.map(({ db }) => db.drop().catch(() => undefined)));
  }
}
