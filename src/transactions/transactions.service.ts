import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { futureProblem } from '../core/future-limit';
import { parseIsoUtc } from '../common/validation';
import { AppConfig } from '../config/env';
import { ItemsRepository } from '../items/items.repository';
import { checkedVersion } from '../core/incoming-version';
import { ApplyCounts, Version, countOutcomes } from '../core/version';
import type { LogPosition } from '../core/log-position';
import { EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from './log-cursor';
import { LogPage, logPageJson } from './log-entry.view';
import { LogRepository } from './log.repository';
import { NodeEpoch } from './node-epoch.service';
import { PushBody, PushEntry } from './push-body';
import { LogPageQuery } from './transactions.dto';
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
    private readonly clock: Clock,
  ) {}

  /** A page of this log as the JSON text of the answer, in pieces (see `logPageJson`). */
  async readLog(query: LogPageQuery): Promise<string[]> {
    const after = query.after === undefined ? undefined : decodeCursor(query.after, this.epoch.value, 'after');
    const earliest = query.earliest === undefined ? undefined : new Date(parseIsoUtc(query.earliest));
    if (earliest && Number.isNaN(earliest.getTime())) throw new DomainError('INVALID_INPUT', 'earliest is not a valid time');
    const withData = query.include.includes('data');
    const slice = await this.log.readAfter(after, query.limit, { earliest: after ? undefined : earliest, withData });
    const page: Omit<LogPage, 'entries'> = {
      node: this.config.nodeId,
      cursor: encodeCursor(this.epoch.value, slice.end),
      hasMore: slice.hasMore,
    };
    if (query.include.includes('remaining')) page.remaining = slice.hasMore ? await this.log.estimateAfter(slice.end) : 0;
    const include = { replaces: query.include.includes('replaces'), data: withData };
    return logPageJson(page, slice.rows, this.config.publicUrl, include);
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
    const nowMs = this.clock.now();
    const versions = body.entries.map((entry, i) => {
      const version = checkedVersion({ ...entry, id: entry.itemId }, `entries[${i}] (item ${entry.itemId})`);
      const tooFar = futureProblem(version, nowMs, this.config.maxFutureMs);
      if (tooFar) throw new DomainError('INVALID_INPUT', `entries[${i}] (item ${entry.itemId}): ${tooFar}`);
      return version;
    });
    const basis = body.basis === undefined ? undefined : decodeCursor(body.basis, this.epoch.value, 'basis');
    // The source (echo suppression) is who authenticated the push, never what the body claims.
    const source = signedBy ?? null;
    return this.items.transaction(async (tx) => {
      const outcomes = basis ? await this.applyOverBasis(tx, versions, source, basis) : await this.apply(tx, versions, source);
      return countOutcomes(outcomes.values());
    });
  }

  private apply(tx: EntityManager, versions: Version[], source: string | null, options?: { overwrite: boolean }) {
    return this.items.applyVersions(tx, versions, source, this.config.conflictWindowMs, options);
  }

  /**
   * The optimistic lock of a push, as one atomic step with its write: the
   * batch's rows are locked before `basis` is checked, and an item absent then
   * is only inserted, so a local write committing meanwhile is either seen by
   * the check or makes the insert find its row: a 409 either way.
   */
  private async applyOverBasis(tx: EntityManager, versions: Version[], source: string | null, basis: LogPosition) {
    const ids = versions.map((v) => v.id);
    const present = await this.items.lockChangedAfter(tx, ids, basis);
    const changed = [...present].filter(([, after]) => after).map(([id]) => id);
    if (changed.length === 0) {
      const held = versions.filter((v) => present.has(v.id));
      const outcomes = await this.items.replaceVersions(tx, held, source, this.config.conflictWindowMs);
      const absent = versions.filter((v) => !present.has(v.id));
      for (const [id, outcome] of await this.apply(tx, absent, source, { overwrite: false })) {
        if (outcome === 'applied') outcomes.set(id, outcome);
        else changed.push(id);
      }
      if (changed.length === 0) return outcomes;
    }
    throw new DomainError('PUSH_CONFLICT', `${changed.length} item(s) changed on ${this.config.nodeId} after basis`, {
      details: { conflicts: changed.sort() },
    });
  }
}
