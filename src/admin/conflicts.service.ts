import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { checkedData } from '../core/data-check';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/env';
import { ItemView, toItemView } from '../items/item.view';
import { LocalWriter } from '../items/local-writer';
import { ConflictsQuery, ResolveConflictBody } from './conflicts.dto';
import { ConflictsRepository, StoredConflict } from '../sync/conflicts.repository';
import { Resolution, resolutionWrite } from './resolution';

/** A record id as this node issues them: a positive bigint. */
const RECORD_ID = /^[1-9][0-9]{0,17}$/;

export interface ConflictView {
  id: string;
  itemId: string;
  peer: string;
  detectedAt: string;
  status: string;
  winner: ItemView;
  loser: ItemView;
}

function viewOf(row: StoredConflict): ConflictView {
  const { id, itemId, peer, status, winner, loser } = row;
  return { id, itemId, peer, detectedAt: row.detectedAt.toISOString(), status, winner, loser };
}

function encodeAfter(id: string): string {
  return Buffer.from(`c:${id}`, 'utf8').toString('base64url');
}

function decodeAfter(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const id = text.startsWith('c:') ? text.slice(2) : '';
  if (!RECORD_ID.test(id))
    throw new DomainError('INVALID_CURSOR', `after "${token.slice(0, 64)}" is not a cursor this node issued`);
  return id;
}

function resolutionOf(body: ResolveConflictBody): Resolution {
  if ((body.pick === undefined) === (body.data === undefined)) {
    throw new DomainError('INVALID_INPUT', 'give exactly one of pick ("winner" or "loser") and data (a JSON object)');
  }
  return body.pick !== undefined ? { pick: body.pick } : { data: checkedData(body.data) };
}

/** The conflict workflow: list the records, resolve one by writing a causal version, or dismiss it. */
@Injectable()
export class ConflictsService {
  constructor(
    private readonly conflicts: ConflictsRepository,
    private readonly writer: LocalWriter,
    private readonly config: AppConfig,
  ) {}

  async list(query: ConflictsQuery): Promise<{ conflicts: ConflictView[]; next: string | null }> {
    const before = query.after === undefined ? undefined : decodeAfter(query.after);
    const { records, more } = await this.conflicts.page(query, before, query.limit);
    return { conflicts: records.map(viewOf), next: more ? encodeAfter(records[records.length - 1].id) : null };
  }

  /**
   * Writes the chosen content through the local write path and closes the
   * record in the same transaction. Refused when the item moved on since the
   * record (a newer edit would be overwritten unseen).
   */
  async resolve(id: string, body: ResolveConflictBody): Promise<ItemView> {
    const choice = resolutionOf(body);
    const record = await this.open(id);
    const result = await this.writer.write(
      record.itemId,
      async (current, tx) => {
        await this.lockOpen(tx, id);
        const known = [record.winner.fingerprint, record.loser.fingerprint];
        if (!current || !known.includes(current.fingerprint)) {
          const now = current ? `"${current.fingerprint}"` : 'gone';
          const why = `item ${record.itemId} changed since conflict ${id} was recorded (it is now ${now})`;
          throw new DomainError('WRONG_STATE', `${why}: dismiss the conflict, or edit the item`);
        }
        return resolutionWrite(record, choice, this.config.nodeId);
      },
      async (tx) => void (await this.conflicts.close(tx, id, 'resolved')),
    );
    return toItemView(result.version, this.config.publicUrl);
  }

  async dismiss(id: string): Promise<ConflictView> {
    await this.open(id);
    const closed = await this.conflicts.transaction(async (tx) => {
      const row = await this.lockOpen(tx, id);
      await this.conflicts.close(tx, id, 'dismissed');
      return { ...row, status: 'dismissed' as const };
    });
    return viewOf(closed);
  }

  private async open(id: string): Promise<StoredConflict> {
    const record = RECORD_ID.test(id) ? await this.conflicts.find(id) : undefined;
    if (!record) throw new DomainError('NOT_FOUND', `conflict ${id.slice(0, 40)} not found`);
    if (record.status !== 'open') throw this.closed(record);
    return record;
  }

  private async lockOpen(tx: EntityManager, id: string): Promise<StoredConflict> {
    const row = await this.conflicts.lock(tx, id);
    if (!row) throw new DomainError('NOT_FOUND', `conflict ${id} not found`);
    if (row.status !== 'open') throw this.closed(row);
    return row;
  }

  private closed(record: StoredConflict): DomainError {
    const why = `conflict ${record.id} is already ${record.status}`;
    return new DomainError('WRONG_STATE', `${why}; only an open conflict can be resolved or dismissed`);
  }
}
