import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { TEXT_PIECE_CHARS } from '../core/limits';
import type { Version } from '../core/version';

/** The columns a copied row fills; `pos_seq` and `recorded_at` take their defaults, as the write statement's do. */
const COPY_SQL = `COPY items (id, data, deleted, updated_ms, origin, priority, fingerprint, replaces, source, pos_xid) FROM STDIN`;

/** SQLSTATE of a unique violation: an id that exists by the time the rows arrive. */
const UNIQUE_VIOLATION = '23505';

/**
 * A text-format field. Every value here is a UUID, a number, a boolean, a
 * checked identifier or hex string, or JSON text, which never holds a raw
 * tab, newline or carriage return (JSON escapes them): only the backslash
 * needs escaping.
 */
function field(value: string | null): string {
  if (value === null) return '\\N';
  return value.includes('\\') ? value.replaceAll('\\', '\\\\') : value;
}

function copyLine(v: Version, source: string | null, xid: string): string {
  const data = v.deleted ? null : (v.dataText ?? JSON.stringify(v.data));
  return `${v.id}\t${field(data)}\t${v.deleted ? 't' : 'f'}\t${v.updatedAtMs}\t${field(v.origin)}\t${v.priority}\t${v.fingerprint}\t${field(v.replaces)}\t${field(source)}\t${xid}\n`;
}

/** The COPY text of `versions`, a piece at a time, so no one string holds them all. */
function* copyText(versions: Version[], source: string | null, xid: string): Generator<string> {
  let piece = '';
  for (const v of versions) {
    piece += copyLine(v, source, xid);
    if (piece.length >= TEXT_PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}

/** The driver connection under a TypeORM transaction. */
async function clientOf(tx: EntityManager): Promise<PoolClient> {
  if (!tx.queryRunner) throw new Error('COPY needs a transaction');
  return (await tx.queryRunner.connect()) as PoolClient;
}

/**
 * Inserts `versions` (distinct ids, none stored when the caller looked) with
 * one `COPY FROM STDIN` inside `tx`, each row at a fresh log position of this
 * transaction, like the write statement. All or nothing: when any id exists
 * by now, nothing is inserted (the copy is rolled back to a savepoint) and
 * false is returned, for the caller to decide those rows row by row.
 */
export async function copyNewVersions(tx: EntityManager, versions: Version[], source: string | null): Promise<boolean> {
  const [{ xid }]: { xid: string }[] = await tx.query(`SELECT pg_current_xact_id()::text AS xid`);
  await tx.query('SAVEPOINT copy_new_versions');
  try {
    const client = await clientOf(tx);
    await pipeline(Readable.from(copyText(versions, source, xid)), client.query(copyFrom(COPY_SQL)));
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT copy_new_versions');
    return false;
  }
  await tx.query('RELEASE SAVEPOINT copy_new_versions');
  return true;
}
