import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataDirLock } from './data-dir-lock';

/** The longest Unix socket path Linux and macOS accept (sun_path, less its terminator). */
const MAX_SOCKET_PATH = 103;

/**
 * PostgreSQL compiled to WebAssembly, in-process, with its files under
 * `dataDir`, served on a Unix socket inside `dataDir` (mode 0700) so the `pg`
 * driver and TypeORM reach it exactly as they reach a real server, while no
 * other user of the machine, and nothing on the network, can reach it: the
 * embedded database has no password. It serves one client connection at a
 * time (the pool is sized to one) and allows a second socket, because with
 * equal limits a failed query leaves the next one on a closed connection.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger('EmbeddedPostgres');

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lock: DataDirLock,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const socket = join(dataDir, '.s.PGSQL.5432');
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
      throw new Error(`DATA_DIR ${dataDir} is too long for the embedded database's Unix socket: use a shorter path`);
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const lock = DataDirLock.take(dataDir);
    try {
      // Loaded only here: a node on a real PostgreSQL never holds the embedded database's code.
      const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
        import('@electric-sql/pglite'),
        import('@electric-sql/pglite-socket'),
      ]);
      const db = await PGlite.create(dataDir);
      // Left by a process that was killed: the lock says no one else serves this directory.
      rmSync(socket, { force: true });
      const server = new PGLiteSocketServer({ db, path: socket, maxConnections: 2 });
      await server.start();
      const embedded = new EmbeddedPostgres(db, server, lock, `postgres://postgres@${encodeURIComponent(dataDir)}/postgres`);
      embedded.logger.warn(
        `embedded PostgreSQL (PGlite) in ${dataDir}: for trying logsync out only; ` +
          'it does not flush to disk on commit, so set DATABASE_URL for real use',
      );
      return embedded;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    this.lock.release();
  }
}
