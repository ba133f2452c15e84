import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL compiled to WebAssembly, in-process, with its files under
 * `dataDir`, served on a loopback port so the `pg` driver and TypeORM reach it
 * exactly as they reach a real server. It serves one client connection at a
 * time (the pool is sized to one) and allows a second socket, because with
 * equal limits a failed query leaves the next one on a closed connection.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    const embedded = new EmbeddedPostgres(db, server, url);
    embedded.logger.warn(
      `embedded PostgreSQL (PGlite) in ${dataDir}: for trying logsync out only; ` +
        'it does not flush to disk on commit, so set DATABASE_URL for real use',
    );
    return embedded;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
