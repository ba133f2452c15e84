import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { AuthGuard } from './auth/auth.guard';
import { CommonModule } from './common/common.module';
import { SeenSignaturesRepository } from './auth/seen-signatures.repository';
import { DomainErrorFilter } from './common/domain-error.filter';
import { JsonBodyInterceptor } from './http/json-body.interceptor';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/env';
import { DatabaseModule } from './db/database.module';
import { HealthModule } from './health/health.module';
import { StatusModule } from './status/status.module';
import { ItemsModule } from './items/items.module';
import { PeersModule } from './peers/peers.module';
import { SyncModule } from './sync/sync.module';
import { TransactionsModule } from './transactions/transactions.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule,
        // Before the items routes, so `/items/transactions` is not taken for an item id.
        TransactionsModule,
        ItemsModule,
        HealthModule,
        PeersModule,
        SyncModule,
        AdminModule,
        StatusModule,
      ],
      providers: [
        SeenSignaturesRepository,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        // Runs after the guard: nothing of an unauthenticated request is read or parsed.
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
      ],
    };
  }
}
