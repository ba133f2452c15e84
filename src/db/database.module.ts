import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, MigrationExecutor } from 'typeorm';
import { AppConfig } from '../config/env';
import { DatabaseHost } from './database-host';
import { MIGRATIONS } from './schema';
import { Statements } from './statements';

export { DatabaseHost };

@Module({ providers: [DatabaseHost], exports: [DatabaseHost] })
class DatabaseHostModule {}

/**
 * The work pool: a request waits at most `dbAcquireTimeoutMs` for a connection
 * and a statement runs at most `dbStatementTimeoutMs`, so a busy or silent
 * database turns into errors (503) rather than requests that never end.
 */
async function dataSourceOptions(host: DatabaseHost, config: AppConfig): Promise<TypeOrmModuleOptions> {
  const url = await host.url();
  const { dbAcquireTimeoutMs, dbStatementTimeoutMs } = config.limits;
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    // Run by `migrate` below, under a lock, rather than by TypeORM at initialisation.
    migrationsRun: false,
    synchronize: false,
    logging: false,
    retryAttempts: 0,
    extra: {
      max: host.poolSize,
      application_name: 'logsync',
      connectionTimeoutMillis: dbAcquireTimeoutMs,
      statement_timeout: dbStatementTimeoutMs,
      keepAlive: true,
    },
  };
}

/**
 * Brings the schema up to date at start-up. Processes of one node may start
 * together on one database: each takes the migrations' advisory lock on the
 * connection that runs them, so one migrates and the others then find nothing
 * pending (TypeORM alone races, and the losers exit on "already exists").
 */
async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('logsync.migrations'))`);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('logsync.migrations'))`);
    }
  } finally {
    await runner.release();
  }
}

async function initialiseDataSource(options?: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options!).initialize();
  try {
    await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

/** PostgreSQL through TypeORM; migrations run at start-up. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseHostModule],
      inject: [DatabaseHost, AppConfig],
      useFactory: dataSourceOptions,
      dataSourceFactory: initialiseDataSource,
    }),
    DatabaseHostModule,
  ],
  providers: [Statements],
  exports: [DatabaseHostModule, Statements],
})
export class DatabaseModule {}
