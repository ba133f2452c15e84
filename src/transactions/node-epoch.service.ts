import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The identity of this node's database. It is made with the database, and
 * made anew when the database turns out to be restored from a dump (stored
 * log positions ahead of the transaction counter): then every position is
 * renumbered, so the log order holds and old cursors are refused.
 */
@Injectable()
export class NodeEpoch implements OnModuleInit {
  private readonly logger = new Logger('NodeEpoch');
  private current: string;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get value(): string {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE node_meta IN EXCLUSIVE MODE`);
      const [restored] = await tx.query(
        `SELECT max(pos_xid) >= pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS ahead FROM items`,
      );
      if (restored?.ahead) {
        this.logger.warn('log positions are ahead of this database: restored from a dump; renumbering the log');
        await tx.query(`UPDATE items SET pos_xid = pg_current_xact_id()::text::bigint, pos_seq = nextval('items_pos_seq')`);
        await tx.query(`DELETE FROM node_meta WHERE key = 'epoch'`);
      }
      await tx.query(`INSERT INTO node_meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING`, [randomUUID()]);
      const [row] = await tx.query(`SELECT value FROM node_meta WHERE key = 'epoch'`);
      this.current = row.value;
    });
  }
}
