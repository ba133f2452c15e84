import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fingerprintOf } from '../../src/core/fingerprint';

export interface BenchItem {
  id: string;
  data: Record<string, unknown>;
}

/** The columns the COPY baseline fills, in the CSV's order. */
export const COPY_COLUMNS = 'id, data, deleted, updated_ms, origin, priority, fingerprint, pos_xid, pos_seq';

/** `count` items of ~1 KiB each, with ids in random order. */
export function makeCollection(count: number): BenchItem[] {
  return Array.from({ length: count }, (_, n) => ({ id: randomUUID(), data: itemData(n, 0) }));
}

/** The content of item `n` at edit `edit`: ~1 KiB serialised. */
export function itemData(n: number, edit: number): Record<string, unknown> {
  return { title: `item ${n}`, n, edit, body: randomBytes(480).toString('hex') };
}

/** The collection as rows of the items table, fingerprints included, as one CSV file. */
export async function writeCsv(items: BenchItem[], path: string): Promise<void> {
  const out = createWriteStream(path);
  const now = Date.now();
  for (let i = 0; i < items.length; i++) {
    const { id, data } = items[i];
    const row = [id, `"${JSON.stringify(data).replace(/"/g, '""')}"`, 'f', now, 'a', 0, fingerprintOf(data, false), 1, i + 1];
    if (!out.write(`${row.join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
