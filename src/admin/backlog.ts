import { Injectable } from '@nestjs/common';
import { BACKLOG_COUNT_CAP } from '../core/limits';
import { LOG_START, LogPosition } from '../core/log-position';
import { decodeCursor } from '../transactions/log-cursor';
import { LogRepository } from '../transactions/log.repository';
import { NodeEpoch } from '../transactions/node-epoch.service';

/**
 * How far a peer is behind this node: the entries of this node's log after
 * the local cursor for that peer, leaving out what came from the peer (it is
 * never offered back). Counted over the log's position index, capped.
 */
@Injectable()
export class Backlog {
  constructor(
    private readonly log: LogRepository,
    private readonly epoch: NodeEpoch,
  ) {}

  async push(peer: string, localCursor: string | null): Promise<number> {
    return this.log.countAfterUpTo(this.position(localCursor), peer, BACKLOG_COUNT_CAP);
  }

  /** A cursor from before this node's database was restored counts as none, as the reconciler reads it. */
  private position(cursor: string | null): LogPosition {
    if (cursor === null) return LOG_START;
    try {
      return decodeCursor(cursor, this.epoch.value);
    } catch {
      return LOG_START;
    }
  }
}
