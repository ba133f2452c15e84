import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { parseIsoUtc } from '../common/validation';
import { AppConfig } from '../config/env';
import { ItemsRepository } from '../items/items.repository';
import { checkedVersion } from '../core/incoming-version';
import { ApplyCounts, countOutcomes } from '../core/version';
import { decodeCursor, encodeCursor } from './log-cursor';
import { LogPage, toLogEntryView } from './log-entry.view';
import { LogRepository } from './log.repository';
import { NodeEpoch } from './node-epoch.service';
import { LogPageQuery, PushBody, PushEntry } from './transactions.dto';
import { MAX_ENTRIES_PER_PUSH } from '../core/limits';

function checkDistinct(entries: PushEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.itemId)) throw new DomainError('INVALID_INPUT', `item ${entry.itemId} appears twice in entries`);
    seen.add(entry.itemId);
  }
}

/** The transaction log: reading this node's log and applying a peer's batch. */
@Injectable()
export class TransactionsService {
  constructor(
    private readonly log: LogRepository,
    private readonly items: ItemsRepository,
    private readonly epoch: NodeEpoch,
    private readonly config: AppConfig,
  ) {}

  async readLog(query: LogPageQuery): Promise<LogPage> {
    const after = query.after === undefined ? undefined : decodeCursor(query.after, this.epoch.value, 'after');
    const earliest = query.earliest === undefined ? undefined : new Date(parseIsoUtc(query.earliest));
    if (earliest && Number.isNaN(earliest.getTime())) throw new DomainError('INVALID_INPUT', 'earliest is not a valid time');
    const slice = await this.log.readAfter(after, query.limit, {
      earliest: after ? undefined : earliest,
      withData: query.include.includes('data'),
    });
    const page: LogPage = {
      node: this.config.nodeId,
      entries: slice.rows.map((row) => toLogEntryView(row, this.config.publicUrl, query.include)),
      cursor: encodeCursor(this.epoch.value, slice.end),
      hasMore: slice.hasMore,
    };
    if (query.include.includes('remaining')) page.remaining = slice.hasMore ? await this.log.countAfter(slice.end) : 0;
    return page;
  }

  /** Applies a pushed batch in one transaction, or nothing of it. */
  async applyPush(body: PushBody, signedBy: string | undefined): Promise<ApplyCounts> {
    if (signedBy !== undefined && body.node !== signedBy) {
      throw new DomainError('INVALID_INPUT', `node "${body.node}" does not match X-Sync-Node "${signedBy}"`);
    }
    if (body.entries.length > MAX_ENTRIES_PER_PUSH) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `${body.entries.length} entries; at most ${MAX_ENTRIES_PER_PUSH} per push`);
    }
    checkDistinct(body.entries);
    const versions = body.entries.map((entry, i) =>
      checkedVersion({ ...entry, id: entry.itemId }, `entries[${i}] (item ${entry.itemId})`),
    );
    const basis = body.basis === undefined ? undefined : decodeCursor(body.basis, this.epoch.value, 'basis');
    return this.items.transaction(async (tx) => {
      if (basis) {
        const conflicts = await this.items.changedAfter(tx, versions.map((v) => v.id), basis);
        if (conflicts.length > 0) {
          throw new DomainError('PUSH_CONFLICT', `${conflicts.length} item(s) changed on ${this.config.nodeId} after basis`, {
            details: { conflicts },
          });
        }
      }
      const outcomes = await this.items.applyVersions(tx, versions, body.node, this.config.conflictWindowMs);
      return countOutcomes(outcomes.values());
    });
  }
}
