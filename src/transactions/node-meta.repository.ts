import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Owns the SQL of `node_meta`: facts about this node's database, such as its epoch. */
@Injectable()
export class NodeMetaRepository {
  /** Holds off every other process's epoch check until this transaction ends. */
  async lock(tx: EntityManager): Promise<void> {
    await tx.query(`LOCK TABLE node_meta IN EXCLUSIVE MODE`);
  }

  async forgetEpoch(tx: EntityManager): Promise<void> {
    await tx.query(`DELETE FROM node_meta WHERE key = 'epoch'`);
  }

  /** The stored epoch, made `candidate` first when there is none. */
  async epoch(tx: EntityManager, candidate: string): Promise<string> {
    await tx.query(`INSERT INTO node_meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING`, [candidate]);
    const [row] = await tx.query(`SELECT value FROM node_meta WHERE key = 'epoch'`);
    return row.value;
  }
}
