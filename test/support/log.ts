import request from 'supertest';
import type { LogEntryView, LogPage } from '../../src/transactions/log-entry.view';

export interface LogRead {
  entries: LogEntryView[];
  /** Where a reader resumes after this read. */
  cursor: string;
  pages: number;
}

/** One page of a node's log; fails unless the node answers 200. */
export async function readLogPage(
  url: string,
  query: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<LogPage> {
  const res = await request(url).get('/items/transactions').query(query).set(headers);
  if (res.status !== 200) throw new Error(`GET /items/transactions answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as LogPage;
}

/** Follows cursors from `after` (or the start) until `hasMore` is false. */
export async function readLogToEnd(
  url: string,
  options: { after?: string; limit?: number; headers?: Record<string, string> } = {},
): Promise<LogRead> {
  const entries: LogEntryView[] = [];
  let cursor = options.after;
  for (let pages = 1; ; pages++) {
    const query: Record<string, string | number> = { limit: options.limit ?? 1000 };
    if (cursor !== undefined) query.after = cursor;
    const page = await readLogPage(url, query, options.headers);
    entries.push(...page.entries);
    cursor = page.cursor;
    if (!page.hasMore) return { entries, cursor, pages };
  }
}

/** The cursor of the end of the log as a reader sees it now. */
export async function logEnd(url: string, headers: Record<string, string> = {}): Promise<string> {
  return (await readLogToEnd(url, { headers })).cursor;
}

/**
 * A reader following cursors from `after` until `done(entries so far)` holds
 * or `timeoutMs` passes. Every entry read is kept, so a duplicate shows up.
 */
export async function followLog(
  url: string,
  options: { after: string; limit: number; done: (entries: LogEntryView[]) => boolean; timeoutMs?: number },
): Promise<LogRead> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  const entries: LogEntryView[] = [];
  let cursor = options.after;
  for (let pages = 1; ; pages++) {
    const page = await readLogPage(url, { after: cursor, limit: options.limit });
    expect(typeof page.cursor).toBe('string');
    entries.push(...page.entries);
    cursor = page.cursor;
    if (options.done(entries) || (!page.hasMore && Date.now() > deadline)) return { entries, cursor, pages };
    if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
