import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseHost } from '../db/database.module';

/**
 * One sync per peer across every process of this node: a PostgreSQL advisory
 * lock on a connection held for the run. The embedded database serves a
 * single process, whose in-process guard is enough (and whose one connection
 * must not be held).
 */
@Injectable()
export class PeerLocks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly host: DatabaseHost,
  ) {}

  /** Runs `work` holding the peer's lock; without `wait`, returns undefined when another process holds it. */
  async withLock<T>(peer: string, wait: boolean, work: () => Promise<T>): Promise<T | undefined> {
    if (this.host.isEmbedded) return work();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const key = `logsync.sync:${peer}`;
      if (wait) {
        await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [key]);
      } else {
        const [row] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [key]);
        if (!row.locked) return undefined;
      }
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }
}
