import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ItemsRepository } from '../items/items.repository';
import { NodeMetaRepository } from './node-meta.repository';

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

  constructor(
    private readonly items: ItemsRepository,
    private readonly meta: NodeMetaRepository,
  ) {}

  get value(): string {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    await this.items.transaction(async (tx) => {
      await this.meta.lock(tx);
      if (await this.items.positionsAhead(tx)) {
        this.logger.warn('log positions are ahead of this database: restored from a dump; renumbering the log');
        await this.items.renumberLog(tx);
        await this.meta.forgetEpoch(tx);
      }
      this.current = await this.meta.epoch(tx, randomUUID());
    });
  }
}
