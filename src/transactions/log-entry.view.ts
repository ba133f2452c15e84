import { itemUri } from '../items/item.view';
import { jsonWithArrayLines } from '../core/json-lines';
import type { Version } from '../core/version';
import { LogRow } from './log.repository';

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

/**
 * The members every log entry and every pushed entry carry for a version, as
 * JSON text: a UUID, an ISO time, a hex fingerprint, a boolean, a node id and
 * a number, none of which JSON escapes (the schema's checks hold them so).
 */
export function entryFieldsJson(v: Version): string {
  return (
    `"itemId":"${v.id}","updatedAt":"${new Date(v.updatedAtMs).toISOString()}","fingerprint":"${v.fingerprint}",` +
    `"deleted":${v.deleted},"origin":"${v.origin}","priority":${v.priority}`
  );
}

/**
 * A log page as the JSON text of its answer, written directly: every field
 * of an entry is a UUID, hex fingerprint, node id, number, boolean or ISO
 * time that the schema's checks keep free of anything JSON would escape, and
 * the one configured string (the public URL) is escaped once per page.
 * Bodies are spliced in as the database's own JSON text: never parsed and
 * serialised again on their way from the table to the peer. The text comes
 * in pieces, an entry per line (see `jsonWithArrayLines`).
 */
export function logPageJson(
  page: Omit<LogPage, 'entries'>,
  rows: LogRow[],
  publicUrl: string,
  include: { replaces: boolean; data: boolean },
): string[] {
  const uri = JSON.stringify(itemUri(publicUrl, '')).slice(0, -1);
  const texts = rows.map(({ version: v, recordedAt, dataText }) => {
    const head = `{${entryFieldsJson(v)},"recordedAt":"${recordedAt.toISOString()}","itemURI":${uri}${v.id}"`;
    const replaces = include.replaces ? `,"replaces":${v.replaces === null ? 'null' : `"${v.replaces}"`}` : '';
    return `${head}${replaces}${include.data ? `,"data":${dataText ?? 'null'}` : ''}}`;
  });
  const { node, ...rest } = page;
  return jsonWithArrayLines(`{"node":${JSON.stringify(node)},"entries":[`, texts, `],${JSON.stringify(rest).slice(1)}`);
}
