import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { STATUS } from '../common/domain-error.filter';
import { fingerprintOf } from '../core/fingerprint';
import { AppConfig } from '../config/env';
import { checkedContent } from './bulk-content';
import { BulkEntry, BulkResult, MAX_BULK_ENTRIES, bulkEntriesOf, parseBulkEntry } from './bulk.dto';
import { ItemsRepository } from './items.repository';
import { matches } from './items.service';
import { LocalWriter } from './local-writer';
import { Version } from '../core/version';

/** The last representable millisecond of year 9999, the schema's upper bound. */
/** A new id can lose to a concurrent first insert of the same id; the request is then decided again. */
const MAX_TRIES = 3;

const TOMBSTONE = fingerprintOf(null, true);

/** Rolls back a request whose write lost a race, so that it can be decided again from the start. */
class LostRace extends Error {}

/**
 * `POST /items/bulk`: up to 1000 client writes in one transaction. The stored
 * versions are read and locked once, each entry is decided in request order by
 * the rules of the single-item routes (so a later entry on the same id sees the
 * earlier ones), and the last version of each changed item is stored by the one
 * write statement. An entry that fails answers its own status and does not
 * stop the others.
 */
@Injectable()
export class BulkWriter {
  constructor(
    private readonly items: ItemsRepository,
    private readonly writer: LocalWriter,
    private readonly config: AppConfig,
  ) {}

  async write(body: unknown): Promise<{ results: BulkResult[] }> {
    const raw = bulkEntriesOf(body);
    if (raw.length > MAX_BULK_ENTRIES) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `${raw.length} entries; at most ${MAX_BULK_ENTRIES} per bulk request`);
    }
    const parsed = raw.map((entry, i) => this.checked(parseBulkEntry(entry, i, randomUUID), i));
    const ids = [...new Set(parsed.flatMap((entry) => ('create' in entry ? [entry.id] : [])))];
    for (let attempt = 1; ; attempt++) {
      try {
        return { results: await this.items.transaction((tx) => this.decideAndStore(tx, parsed, ids)) };
      } catch (error) {
        if (!(error instanceof LostRace) || attempt >= MAX_TRIES) throw error;
      }
    }
  }

  private async decideAndStore(tx: EntityManager, parsed: (BulkEntry | BulkResult)[], ids: string[]): Promise<BulkResult[]> {
    const stored = new Map((await this.items.lockVersions(tx, ids)).map((v) => [v.id, v]));
    const current = new Map(stored);
    const written = new Set<Version>();
    const results = parsed.map((entry) => ('create' in entry ? this.decide(entry, current, written) : entry));
    const changed = [...current.values()].filter(
      (v) => v !== stored.get(v.id) && v.fingerprint !== stored.get(v.id)?.fingerprint,
    );
    // Rows that were absent when locked are only inserted: one created meanwhile is decided again, never overwritten unseen.
    const window = this.config.conflictWindowMs;
    const over = await this.items.applyVersions(
      tx,
      changed.filter((v) => stored.has(v.id)),
      null,
      window,
    );
    const fresh = await this.items.applyVersions(
      tx,
      changed.filter((v) => !stored.has(v.id)),
      null,
      window,
      { overwrite: false },
    );
    if ([...over.values(), ...fresh.values()].some((outcome) => outcome !== 'applied')) throw new LostRace();
    return results;
  }

  /** The entry with its data checked as a single write checks it, or the error result. */
  private checked(entry: BulkEntry | BulkResult, index: number): BulkEntry | BulkResult {
    if (!('create' in entry) || entry.deleted) return entry;
    try {
      return { ...entry, ...checkedContent(entry.data, `items[${index}]: `) };
    } catch (error) {
      return this.failed(entry.create ? null : entry.id, error);
    }
  }

  /** Decides one entry against `current` (stored or written earlier in this request) and records its version there. */
  private decide(entry: BulkEntry, current: Map<string, Version>, written: Set<Version>): BulkResult {
    const previous = current.get(entry.id);
    try {
      this.check(entry, previous);
    } catch (error) {
      return this.failed(entry.id, error);
    }
    const data = entry.deleted ? null : (entry.data as Record<string, unknown>);
    const fingerprint = entry.fingerprint ?? TOMBSTONE;
    if (previous?.fingerprint === fingerprint) return { id: entry.id, status: 200, fingerprint };
    let stamped: Version;
    try {
      stamped = this.writer.stamp(entry.id, { data, deleted: entry.deleted, fingerprint, dataText: entry.dataText }, previous);
    } catch (error) {
      return this.failed(entry.id, error);
    }
    // Over a version written earlier in this request (never stored), the write is made over what that one replaced.
    const version = previous && written.has(previous) ? { ...stamped, replaces: previous.replaces } : stamped;
    current.set(entry.id, version);
    written.add(version);
    const status = entry.deleted ? 204 : !previous || previous.deleted ? 201 : 200;
    return { id: entry.id, status, fingerprint };
  }

  /** The preconditions of POST /items, PUT /items/:id and DELETE /items/:id. */
  private check(entry: BulkEntry, previous: Version | undefined): void {
    const live = previous !== undefined && !previous.deleted;
    if (entry.create && live) throw new DomainError('ALREADY_EXISTS', `item ${entry.id} already exists`);
    if (entry.deleted && !live) throw new DomainError('NOT_FOUND', `item ${entry.id} not found`);
    if (!matches(entry.ifMatch, previous)) {
      const now = live ? `"${previous.fingerprint}"` : 'no live version';
      throw new DomainError('PRECONDITION_FAILED', `ifMatch does not match item ${entry.id}; it is now ${now}`);
    }
  }

  private failed(id: string | null, error: unknown): BulkResult {
    if (!(error instanceof DomainError)) throw error;
    return { id, status: STATUS[error.code], message: error.message };
  }
}
