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
  /** About how many entries follow this page (positions issued since), when asked for with `include=remaining`. */
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
  if (include.includes('replaces')) entry.replaces = version.replaces;
  return entry;
}

/**
 * A log page as the JSON text of its answer. Bodies are spliced in as the
 * database's own JSON text: never parsed and serialised again on their way
 * from the table to the peer.
 */
export function logPageJson(page: Omit<LogPage, 'entries'>, entries: LogEntryView[], bodies?: (string | null)[]): string {
  const texts = entries.map((entry, i) => {
    const text = JSON.stringify(entry);
    return bodies ? `${text.slice(0, -1)},"data":${bodies[i] ?? 'null'}}` : text;
  });
  const { node, ...rest } = page;
  return `{"node":${JSON.stringify(node)},"entries":[${texts.join(',')}],${JSON.stringify(rest).slice(1)}`;
}
