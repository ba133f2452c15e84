import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The current version of one item, tombstones included, and its log position. */
@Entity('items')
export class ItemEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('jsonb', { nullable: true })
  data: Record<string, unknown> | null;

  @Column('boolean')
  deleted: boolean;

  @Column('bigint', { name: 'updated_ms' })
  updatedMs: string;

  @Column('text')
  origin: string;

  @Column('integer')
  priority: number;

  @Column('text')
  fingerprint: string;

  /** Fingerprint of the version this one was written over, when known. */
  @Column('text', { nullable: true })
  replaces: string | null;

  /** The peer this version was received from; null for this node's own writes. */
  @Column('text', { nullable: true })
  source: string | null;

  @Column('bigint', { name: 'pos_xid' })
  posXid: string;

  @Column('bigint', { name: 'pos_seq' })
  posSeq: string;

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;
}
