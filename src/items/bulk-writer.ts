import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { STATUS } from '../common/domain-error.filter';
import { fingerprintOf } from '../core/fingerprint';
import { AppConfig } from '../config/env';
import { parseJsonText } from '../http/json-body';
import { CheckedContent, checkedContents } from './bulk-content';
import { bulkDataTexts } from './bulk-data-text';
import { BulkEntry, BulkResult, CheckedEntry, MAX_BULK_ENTRIES, bulkEntriesOf, parseBulkEntry } from './bulk.dto';
import { ItemsRepository } from './items.repository';
import { matches } from './items.service';
import { LocalWriter } from './local-writer';
import { Version } from '../core/version';

/** A new id can lose to a concurrent first insert of the same id; the request is then decided again. */
const MAX_TRIES = 3;

const TOMBSTONE = fingerprintOf(null, true);

/** An entry that writes data: neither a refusal nor a delete. */
const isLive = (entry: BulkEntry | BulkResult): entry is BulkEntry => 'create' in entry && !entry.deleted;

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

  /** `text` is the request body, parsed here so that each entry's data can be kept as canonical text read from it. */
  async write(text: string): Promise<{ results: BulkResult[] }> {
    const entries = this.entriesOf(text);
    const ids = [...new Set(entries.flatMap((entry) => ('create' in entry ? [entry.id] : [])))];
    for (let attempt = 1; ; attempt++) {
      try {
        return { results: await this.items.transaction((tx) => this.decideAndStore(tx, entries, ids)) };
      } catch (error) {
        if (!(error instanceof LostRace) || attempt >= MAX_TRIES) throw error;
      }
    }
  }

  /** Each entry parsed and its data checked, or the error result; nothing built by JSON.parse outlives this call. */
  private entriesOf(text: string): (CheckedEntry | BulkResult)[] {
    const raw = bulkEntriesOf(parseJsonText(text));
    if (raw.length > MAX_BULK_ENTRIES) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `${raw.length} entries; at most ${MAX_BULK_ENTRIES} per bulk request`);
    }
    const texts = bulkDataTexts(text);
    const known = texts.length === raw.length ? texts : [];
    const parsed = raw.map((entry, i) => parseBulkEntry(entry, i, randomUUID));
    const contents = checkedContents(
      parsed.flatMap((entry, i) => (isLive(entry) ? [{ data: entry.data, known: known[i], where: `items[${i}]: ` }] : [])),
    );
    let next = 0;
    return parsed.map((entry) => this.checked(entry, isLive(entry) ? contents[next++] : undefined));
  }

  private async decideAndStore(tx: EntityManager, entries: (CheckedEntry | BulkResult)[], ids: string[]): Promise<BulkResult[]> {
    const stored = new Map((await this.items.lockVersions(tx, ids)).map((v) => [v.id, v]));
    const current = new Map(stored);
    const written = new Set<Version>();
    const results = entries.map((entry) => ('create' in entry ? this.decide(entry, current, written) : entry));
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

  /** The entry with its checked content (none on a delete), or the error result. */
  private checked(entry: BulkEntry | BulkResult, content: CheckedContent | DomainError | undefined): CheckedEntry | BulkResult {
    if (!('create' in entry)) return entry;
    if (content instanceof DomainError) return this.failed(entry.create ? null : entry.id, content);
    return { id: entry.id, create: entry.create, deleted: entry.deleted, ifMatch: entry.ifMatch, content };
  }

  /** Decides one entry against `current` (stored or written earlier in this request) and records its version there. */
  private decide(entry: CheckedEntry, current: Map<string, Version>, written: Set<Version>): BulkResult {
    const previous = current.get(entry.id);
    try {
      this.check(entry, previous);
    } catch (error) {
      return this.failed(entry.id, error);
    }
    const fingerprint = entry.content?.fingerprint ?? TOMBSTONE;
    if (previous?.fingerprint === fingerprint) return { id: entry.id, status: 200, fingerprint };
    let version: Version;
    try {
      const content = entry.content
        ? { dataText: entry.content.dataText, deleted: false as const, fingerprint }
        : { data: null, deleted: true, fingerprint };
      version = this.writer.stamp(entry.id, content, previous);
    } catch (error) {
      return this.failed(entry.id, error);
    }
    // Over a version written earlier in this request (never stored), the write is made over what that one replaced.
    if (previous && written.has(previous)) version.replaces = previous.replaces;
    current.set(entry.id, version);
    written.add(version);
    const status = entry.deleted ? 204 : !previous || previous.deleted ? 201 : 200;
    return { id: entry.id, status, fingerprint };
  }

  /** The preconditions of POST /items, PUT /items/:id and DELETE /items/:id. */
  private check(entry: CheckedEntry, previous: Version | undefined): void {
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
