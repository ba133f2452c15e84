import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far this node has synced with one peer, in both logs. */
@Entity('peer_checkpoints')
export class PeerCheckpointEntity {
  @PrimaryColumn('text')
  peer: string;

  /** Position in the peer's log up to which its changes have been applied here. */
  @Column('text', { name: 'remote_cursor', nullable: true })
  remoteCursor: string | null;

  /** Position in this node's log up to which its changes have been offered to the peer. */
  @Column('text', { name: 'local_cursor', nullable: true })
  localCursor: string | null;

  @Column('jsonb', { name: 'last_result', nullable: true })
  lastResult: Record<string, unknown> | null;

  @Column('timestamptz', { name: 'last_success_at', nullable: true })
  lastSuccessAt: Date | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
