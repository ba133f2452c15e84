import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Expired signatures are deleted at most this often per process. */
const PRUNE_EVERY_MS = 60_000;

/** The signatures this node has accepted, until their timestamp leaves the acceptance window. */
@Injectable()
export class SeenSignaturesRepository {
  private prunedAtMs = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True the first time any process of this node records `signature`, false on every replay. */
  async firstUse(signature: string, expiresMs: number, nowMs: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO seen_signatures (signature, expires_ms) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING RETURNING 1`,
      [signature, expiresMs],
    );
    if (nowMs - this.prunedAtMs >= PRUNE_EVERY_MS) {
      this.prunedAtMs = nowMs;
      await this.dataSource.query(`DELETE FROM seen_signatures WHERE expires_ms < $1`, [nowMs]);
    }
    return rows.length === 1;
  }
}
