import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { AppConfig } from '../config/env';
import { EmbeddedPostgres } from './embedded-postgres';
import { ENTITIES, MIGRATIONS } from './schema';

/** Owns the embedded database when there is no `DATABASE_URL`, and stops it last. */
@Injectable()
export class DatabaseHost implements OnApplicationShutdown {
  private embedded?: EmbeddedPostgres;

  constructor(private readonly config: AppConfig) {}

  async url(): Promise<string> {
    if (this.config.databaseUrl) return this.config.databaseUrl;
    this.embedded ??= await EmbeddedPostgres.start(this.config.dataDir);
    return this.embedded.url;
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}

@Module({ providers: [DatabaseHost], exports: [DatabaseHost] })
class DatabaseHostModule {}

async function dataSourceOptions(host: DatabaseHost): Promise<TypeOrmModuleOptions> {
  const url = await host.url();
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    retryAttempts: 0,
    extra: { max: host.isEmbedded ? 1 : 10, application_name: 'logsync' },
  };
}

/** PostgreSQL through TypeORM; migrations run at start-up. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseHostModule],
      inject: [DatabaseHost],
      useFactory: dataSourceOptions,
    }),
    DatabaseHostModule,
  ],
  exports: [DatabaseHostModule],
})
export class DatabaseModule {}
