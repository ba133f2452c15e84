import { itemUri } from '../items/item.view';
import type { Version } from '../core/version';
import { LogRow } from './log.repository';
import { LogInclude } from './transactions.dto';

/** One entry of `GET /items/transactions`. */
export interface LogEntryView {
  itemId: string;
  updatedAt: string;
  fingerprint: string;
  deleted: boolean;
  origin: string;
  priority: number;
  recordedAt: string;
  itemURI: string;
  data?: Record<string, unknown> | null;
  replaces?: string | null;
}

export interface LogPage {
  node: string;
  entries: LogEntryView[];
  cursor: string;
  hasMore: boolean;
  /** Entries after this page, when asked for with `include=remaining`. */
  remaining?: number;
}

/** The fields every log entry and every pushed entry carry for a version. */
export function entryFields(version: Version) {
  return {
    itemId: version.id,
    updatedAt: new Date(version.updatedAtMs).toISOString(),
    fingerprint: version.fingerprint,
    deleted: version.deleted,
    origin: version.origin,
    priority: version.priority,
  };
}

export function toLogEntryView(row: LogRow, publicUrl: string, include: LogInclude[]): LogEntryView {
  const { version } = row;
  const entry: LogEntryView = {
    ...entryFields(version),
    recordedAt: row.recordedAt.toISOString(),
    itemURI: itemUri(publicUrl, version.id),
  };
  if (include.includes('data')) entry.data = version.data;
  if (include.includes('replaces')) entry.replaces = version.replaces;
  return entry;
}
