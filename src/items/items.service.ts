import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { checkedData } from '../core/data-check';
import { AppConfig } from '../config/env';
import { ItemView, itemTexts, toItemView } from './item.view';
import { MAX_ANSWER_DATA_BYTES } from '../core/limits';
import { jsonWithArrayLines } from '../core/json-lines';
import { ItemsRepository } from './items.repository';
import { LocalWriter } from './local-writer';
import { Version } from '../core/version';
import { decodePageToken, encodePageToken } from './page-token';

export interface ItemWritten {
  item: ItemView;
  created: boolean;
}

/** An `If-Match` header: `*` or a list of quoted fingerprints. */
export function matches(ifMatch: string | undefined, current: Version | undefined): boolean {
  if (ifMatch === undefined) return true;
  if (!current || current.deleted) return false;
  if (ifMatch.trim() === '*') return true;
  return ifMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .includes(current.fingerprint);
}

/** The items API: client reads and writes on this node. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly items: ItemsRepository,
    private readonly writer: LocalWriter,
    private readonly config: AppConfig,
  ) {}

  async create(id: string | undefined, data: unknown): Promise<ItemView> {
    const checked = checkedData(data);
    const itemId = id ?? randomUUID();
    const result = await this.writer.write(itemId, (current) => {
      if (current && !current.deleted) throw new DomainError('ALREADY_EXISTS', `item ${itemId} already exists`);
      return { data: checked, deleted: false };
    });
    return this.view(result.version);
  }

  async get(id: string): Promise<ItemView> {
    const version = await this.items.findVersion(id);
    if (!version) throw new DomainError('NOT_FOUND', `item ${id} not found`);
    if (version.deleted) {
      throw new DomainError('GONE', `item ${id} was deleted`, { body: this.view(version) });
    }
    return this.view(version);
  }

  /** Replaces the item's data; writing the data it already has changes nothing. */
  async put(id: string, data: unknown, ifMatch: string | undefined): Promise<ItemWritten> {
    const checked = checkedData(data);
    const result = await this.writer.write(id, (current) => {
      if (!matches(ifMatch, current)) throw this.stale(id, current);
      return { data: checked, deleted: false };
    });
    const created = !result.previous || result.previous.deleted;
    return { item: this.view(result.version), created };
  }

  /** Leaves a tombstone, so that the delete itself syncs. */
  async remove(id: string, ifMatch: string | undefined): Promise<void> {
    await this.writer.write(id, (current) => {
      if (!current || current.deleted) throw new DomainError('NOT_FOUND', `item ${id} not found`);
      if (!matches(ifMatch, current)) throw this.stale(id, current);
      return { data: null, deleted: true };
    });
  }

  async list(limit: number, after: string | undefined): Promise<{ items: ItemView[]; next: string | null }> {
    const afterId = after === undefined ? undefined : decodePageToken(after);
    const { versions, more } = await this.items.listLive(afterId, limit, MAX_ANSWER_DATA_BYTES);
    const next = more ? encodePageToken(versions[versions.length - 1].id) : null;
    return { items: versions.map((v) => this.view(v)), next };
  }

  /**
   * `POST /items/batch`: the versions of `ids`; with data, up to
   * MAX_ANSWER_DATA_BYTES of it, the rest listed as `missing`. The JSON text
   * of the answer, in pieces, an item per line (see `jsonWithArrayLines`):
   * bodies pass from the table to the caller unparsed.
   */
  async batch(ids: string[], withData = true): Promise<string[]> {
    const distinct = [...new Set(ids)];
    if (!withData) {
      const versions = await this.items.findVersions(distinct, { withData });
      return jsonWithArrayLines(
        '{"items":[',
        versions.map((v) => JSON.stringify(this.view(v))),
        '],"missing":[]}',
      );
    }
    const { found, missing } = await this.items.findTextsWithin(distinct, MAX_ANSWER_DATA_BYTES);
    return jsonWithArrayLines('{"items":[', itemTexts(found, this.config.publicUrl), `],"missing":${JSON.stringify(missing)}}`);
  }

  private stale(id: string, current: Version | undefined): DomainError {
    const now = current && !current.deleted ? `"${current.fingerprint}"` : 'no live version';
    return new DomainError('PRECONDITION_FAILED', `If-Match does not match item ${id}; it is now ${now}`);
  }

  private view(version: Version): ItemView {
    return toItemView(version, this.config.publicUrl);
  }
}
