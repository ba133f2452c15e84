import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseHost } from './database-host';

/** A fixed statement of a hot path and the name it is prepared under; one name, one text. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

export function named(name: string, text: string): NamedStatement {
  return { name: `logsync_${name}`, text };
}

/**
 * Runs fixed statements prepared under their names: PostgreSQL parses and
 * analyses each once per connection rather than on every call, which for the
 * log reads costs more than running them. TypeORM's `query` cannot name a
 * statement, so these go to the work pool (or a transaction's connection)
 * directly, with the same connections and limits.
 * The embedded database keeps one session for all its connections, where a
 * name would outlive the connection that prepared it: there they run unnamed.
 */
@Injectable()
export class Statements {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly host: DatabaseHost,
  ) {}

  async rows<R extends QueryResultRow>(statement: NamedStatement, values: unknown[], tx?: EntityManager): Promise<R[]> {
    const name = this.host.isEmbedded ? undefined : statement.name;
    const result = await this.connection(tx).query<R>({ name, text: statement.text, values });
    return result.rows;
  }

  private connection(tx?: EntityManager): Pool | PoolClient {
    // TypeORM's PostgreSQL driver: a transaction's runner holds its pooled client, the driver the pool.
    const runner = tx?.queryRunner as { databaseConnection?: PoolClient } | undefined;
    return runner?.databaseConnection ?? (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
