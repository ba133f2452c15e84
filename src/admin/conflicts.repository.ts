import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConflictEntity } from './conflict.entity';

@Injectable()
export class ConflictsRepository {
  constructor(@InjectRepository(ConflictEntity) private readonly conflicts: Repository<ConflictEntity>) {}

  /** Newest first, optionally for one item. */
  newest(itemId: string | undefined, limit: number): Promise<ConflictEntity[]> {
    return this.conflicts.find({ where: itemId ? { itemId } : {}, order: { id: 'DESC' }, take: limit });
  }
}
