import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { fingerprintOf } from '../common/fingerprint';
import { AppConfig } from '../config/env';
import { stampWrite } from '../sync/winner';
import { ItemsRepository } from './items.repository';
import { Version } from './version';

/** What a client write does to the stored version, decided under its row lock. */
export type WriteDecision = { data: Record<string, unknown> | null; deleted: boolean } | 'keep';

export interface WriteResult {
  version: Version;
  previous: Version | undefined;
  /** False when the decision was to keep the stored version as it is. */
  written: boolean;
}

/** A write can lose to a concurrent first insert of the same id; it is then decided again. */
const MAX_TRIES = 3;

/**
 * This node's own writes: lock the stored version, let the caller decide,
 * stamp with the per-item hybrid logical clock and store through the one
 * write statement, all in one transaction.
 */
@Injectable()
export class LocalWriter {
  constructor(
    private readonly items: ItemsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async write(id: string, decide: (current: Version | undefined) => WriteDecision): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.items.transaction(async (tx) => {
        const previous = await this.items.lockVersion(tx, id);
        const decision = decide(previous);
        if (decision === 'keep') return { version: previous!, previous, written: false };
        const version = this.stamp(id, decision.data, decision.deleted, previous);
        const outcomes = await this.items.applyVersions(tx, [version], null, this.config.conflictWindowMs);
        return outcomes.get(id) === 'applied' ? { version, previous, written: true } : undefined;
      });
      if (result) return result;
      if (attempt >= MAX_TRIES) throw new Error(`write to ${id} kept losing to concurrent writes`);
    }
  }

  private stamp(id: string, data: Version['data'], deleted: boolean, previous: Version | undefined): Version {
    const write = {
      origin: this.config.nodeId,
      priority: this.config.nodePriority,
      fingerprint: fingerprintOf(data, deleted),
    };
    const updatedAtMs = stampWrite(write, previous, this.clock.now(), this.config.conflictWindowMs);
    return { id, data, deleted, updatedAtMs, ...write, replaces: this.replacedBase(previous) };
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
