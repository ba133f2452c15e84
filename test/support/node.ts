import { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/env';
import { TestDatabase, createDatabase } from './database';
import { freePort } from './ports';

export { freePort };

export interface TestNode {
  id: string;
  url: string;
  config: AppConfig;
  app: INestApplication;
  database?: TestDatabase;
  /** Stops the app; `keepDatabase` leaves its database for a restart. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface NodeOptions {
  id?: string;
  port?: number;
  /** Environment as API.md names it; NODE_ID, PORT and DATABASE_URL are filled in. */
  env?: Record<string, string>;
  /** Reuse this database instead of creating one (restarts). */
  database?: TestDatabase;
  /** No DATABASE_URL: the embedded PostgreSQL under env.DATA_DIR. */
  embedded?: boolean;
}

/** Starts one real node in this process, on a real database, listening on loopback; scheduler and near-live sync off unless `env` turns them on. */
export async function startNode(options: NodeOptions = {}): Promise<TestNode> {
  const id = options.id ?? 'a';
  const port = options.port ?? (await freePort());
  const database = options.embedded ? undefined : (options.database ?? (await createDatabase(id)));
  const config = loadConfig({
    NODE_ID: id,
    PORT: String(port),
    SYNC_INTERVAL_MS: '0',
    SYNC_DEBOUNCE_MS: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const app = await createApp(config, { logger: false });
  await app.listen(port, '127.0.0.1');
  return {
    id,
    url: `http://127.0.0.1:${port}`,
    config,
    app,
    database,
    async stop({ keepDatabase = false } = {}) {
      await app.close();
      if (!keepDatabase) await database?.drop();
    },
  };
}
