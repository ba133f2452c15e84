import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { EmbeddedPostgres } from './embedded-postgres';

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

  /** Connections in the work pool: the embedded database serves one. */
  get poolSize(): number {
    return this.isEmbedded ? 1 : this.config.limits.dbPoolSize;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
