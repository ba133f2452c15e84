import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, LessThan, Repository } from 'typeorm';
import { ConflictEntity, ConflictStatus } from './conflict.entity';

export interface ConflictFilter {
  itemId?: string;
  peer?: string;
  status: ConflictStatus;
}

@Injectable()
export class ConflictsRepository {
  constructor(@InjectRepository(ConflictEntity) private readonly conflicts: Repository<ConflictEntity>) {}

  /** Newest first (by id, which only grows), after the record `beforeId` when given. */
  page(filter: ConflictFilter, beforeId: string | undefined, limit: number): Promise<ConflictEntity[]> {
    const where: FindOptionsWhere<ConflictEntity> = { status: filter.status };
    if (filter.itemId) where.itemId = filter.itemId;
    if (filter.peer) where.peer = filter.peer;
    if (beforeId) where.id = LessThan(beforeId);
    return this.conflicts.find({ where, order: { id: 'DESC' }, take: limit });
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.conflicts.manager.transaction(work);
  }

  find(id: string): Promise<ConflictEntity | null> {
    return this.conflicts.findOneBy({ id });
  }

  /** The record, locked until the transaction ends. */
  lock(tx: EntityManager, id: string): Promise<ConflictEntity | null> {
    return tx.getRepository(ConflictEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Closes an open record; false when it was not open (or is gone). */
  async close(tx: EntityManager, id: string, status: Exclude<ConflictStatus, 'open'>): Promise<boolean> {
    const result = await tx.getRepository(ConflictEntity).update({ id, status: 'open' }, { status });
    return (result.affected ?? 0) > 0;
  }

  countOpen(): Promise<number> {
    return this.conflicts.countBy({ status: 'open' });
  }
}
