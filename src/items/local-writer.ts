import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { MAX_TIME_MS } from '../core/limits';
import { fingerprintOf } from '../core/fingerprint';
import { AppConfig } from '../config/env';
import { stampWrite } from '../core/winner';
import { ItemsRepository } from './items.repository';
import { Version } from '../core/version';
import { TextVersion } from './text-version';

/** What a client write makes of the stored version, decided under its row lock. */
export interface WriteDecision {
  data: Record<string, unknown> | null;
  deleted: boolean;
  /**
   * A conflict resolution: the fingerprint it is written over, in place of
   * the stored version's history, and a new version even when the content is
   * the stored one (the decision itself must sync).
   */
  resolves?: { replaces: string };
}

/** A write's content with its fingerprint: data as an object, or a live item's data as checked canonical JSON. */
export type StampedContent = (WriteDecision | { dataText: string; deleted: false; resolves?: undefined }) & {
  fingerprint: string;
};

export interface WriteResult {
  /** The stored version after the write: the one written, or the one kept. */
  version: Version;
  previous: Version | undefined;
}

/** A write can lose to a concurrent first insert of the same id; it is then decided again. */
const MAX_TRIES = 3;

/**
 * This node's own writes: lock the stored version, let the caller decide,
 * stamp with the per-item hybrid logical clock and store through the one
 * write statement, all in one transaction. Writing the content the item
 * already holds changes nothing (no new version, no log entry).
 */
@Injectable()
export class LocalWriter {
  constructor(
    private readonly items: ItemsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** `written` runs in the write's transaction once a new version is stored. */
  async write(
    id: string,
    decide: (current: Version | undefined, tx: EntityManager) => WriteDecision | Promise<WriteDecision>,
    written?: (tx: EntityManager, version: Version) => Promise<void>,
  ): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.items.transaction(async (tx) => {
        const previous = await this.items.lockVersion(tx, id);
        const decision = await decide(previous, tx);
        const fingerprint = fingerprintOf(decision.data, decision.deleted);
        if (previous?.fingerprint === fingerprint && !decision.resolves) return { version: previous, previous };
        const version = this.stamp(id, { ...decision, fingerprint }, previous);
        // A new item is only inserted: a version pulled meanwhile is never overwritten unseen; the write is decided again.
        const overwrite = previous !== undefined;
        const outcomes = await this.items.applyVersions(tx, [version], null, this.config.conflictWindowMs, { overwrite });
        if (outcomes.get(id) !== 'applied') return undefined;
        await written?.(tx, version);
        return { version, previous };
      });
      if (result) return result;
      if (attempt >= MAX_TRIES) throw new Error(`write to ${id} kept losing to concurrent writes`);
    }
  }

  /** `content` holds the data as an object, or as checked canonical text (`dataText`) that is stored as it is. */
  stamp(id: string, content: StampedContent, previous: Version | undefined): Version {
    const write = { origin: this.config.nodeId, priority: this.config.nodePriority, fingerprint: content.fingerprint };
    const updatedAtMs = stampWrite(write, previous, this.clock.now(), this.config.conflictWindowMs);
    if (updatedAtMs > MAX_TIME_MS) {
      throw new DomainError('TIME_EXHAUSTED', `item ${id} is stamped at the end of time; no later version can supersede it`);
    }
    const replaces = content.resolves?.replaces ?? this.replacedBase(previous);
    if ('dataText' in content) {
      return new TextVersion(id, updatedAtMs, write.origin, write.priority, write.fingerprint, replaces, content.dataText);
    }
    return { id, data: content.data, deleted: content.deleted, updatedAtMs, ...write, replaces };
  }

  /**
   * The version a write is made over, for conflict detection: over this
   * node's own earlier write, the one that run of local edits started from,
   * so any number of successive edits stays causal to what the node saw.
   */
  private replacedBase(previous: Version | undefined): string | null {
    if (!previous) return null;
    return previous.origin === this.config.nodeId && previous.replaces !== null ? previous.replaces : previous.fingerprint;
  }
}
