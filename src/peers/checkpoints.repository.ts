import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Statements, named } from '../db/statements';

export interface Checkpoint {
  remoteCursor: string | null;
  localCursor: string | null;
  /** Versions received from the peer before this transaction id are offered back to it (see `reset`). */
  echoFloor: string | null;
}

/** A peer's row as `GET /admin/peers` shows it. */
export interface PeerCheckpoint extends Checkpoint {
  peer: string;
  lastResult: Record<string, unknown> | null;
  lastSuccessAt: Date | null;
}

/** Moving one cursor: the remote one (the peer's log read here) or the local one (this log offered to the peer). */
const ADVANCE_SQL = {
  remote: `INSERT INTO peer_checkpoints (peer, remote_cursor) VALUES ($1, $2)
           ON CONFLICT (peer) DO UPDATE SET remote_cursor = EXCLUDED.remote_cursor, updated_at = now()`,
  local: `INSERT INTO peer_checkpoints (peer, local_cursor) VALUES ($1, $2)
          ON CONFLICT (peer) DO UPDATE SET local_cursor = EXCLUDED.local_cursor, updated_at = now()`,
};

const CHECKPOINT = named(
  'checkpoint',
  `SELECT remote_cursor AS "remoteCursor", local_cursor AS "localCursor", echo_floor_xid::text AS "echoFloor"
   FROM peer_checkpoints WHERE peer = $1`,
);

/** The last report; its transaction commits without waiting for the disk (set_config(…, true) holds until it ends). */
const SAVE_RESULT = named(
  'save_result',
  `INSERT INTO peer_checkpoints (peer, last_result, last_success_at) VALUES ($1, $2, CASE WHEN $3 THEN now() END)
   ON CONFLICT (peer) DO UPDATE SET last_result = EXCLUDED.last_result, updated_at = now(),
     last_success_at = coalesce(EXCLUDED.last_success_at, peer_checkpoints.last_success_at)
   RETURNING set_config('synchronous_commit', 'off', true)`,
);

/** Owns the SQL of `peer_checkpoints`: how far this node has synced with each peer, and its last report. */
@Injectable()
export class CheckpointsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  async checkpoint(peer: string): Promise<Checkpoint> {
    const rows = await this.statements.rows<Checkpoint>(CHECKPOINT, [peer]);
    return rows[0] ?? { remoteCursor: null, localCursor: null, echoFloor: null };
  }

  async all(): Promise<PeerCheckpoint[]> {
    return this.dataSource.query(
      `SELECT peer, remote_cursor AS "remoteCursor", local_cursor AS "localCursor", last_result AS "lastResult",
              last_success_at AS "lastSuccessAt"
       FROM peer_checkpoints`,
    );
  }

  /** Moves one cursor; called in the transaction that applied what it covers. */
  async advance(tx: EntityManager, peer: string, which: 'remote' | 'local', cursor: string): Promise<void> {
    await tx.query(ADVANCE_SQL[which], [peer, cursor]);
  }

  /**
   * Starts over with a peer whose database was reset or restored: forgets
   * both cursors, and that anything came from that peer before now, since it
   * may no longer hold what it once sent. No item row is rewritten: the echo
   * floor (this transaction's id) exempts every earlier version from the
   * echo filter, however many there are.
   */
  async reset(peer: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO peer_checkpoints (peer, echo_floor_xid, echo_floor_seq)
       VALUES ($1, pg_current_xact_id()::text::bigint, 0)
       ON CONFLICT (peer) DO UPDATE SET remote_cursor = NULL, local_cursor = NULL, updated_at = now(),
         echo_floor_xid = EXCLUDED.echo_floor_xid, echo_floor_seq = EXCLUDED.echo_floor_seq`,
      [peer],
    );
  }

  /**
   * The last report for `GET /admin/peers`. It commits without waiting for
   * the disk: losing the latest report in a crash costs nothing, and waiting
   * would dominate a sync that had nothing to do.
   */
  async saveResult(peer: string, result: object, succeeded: boolean): Promise<void> {
    await this.statements.rows(SAVE_RESULT, [peer, JSON.stringify(result), succeeded]);
  }
}
