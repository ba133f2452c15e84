import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ItemView } from '../items/item.view';

export const CONFLICT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** A version that lost to a concurrent one, kept so nothing a user wrote is silently gone. */
@Entity('conflicts')
export class ConflictEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'item_id' })
  itemId: string;

  @Column('text')
  peer: string;

  @Column('timestamptz', { name: 'detected_at' })
  detectedAt: Date;

  @Column('text')
  status: ConflictStatus;

  @Column('jsonb')
  winner: ItemView;

  @Column('jsonb')
  loser: ItemView;
}
