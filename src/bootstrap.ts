import { INestApplication, LoggerService, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
// The adapter alone: the package's index also loads its file-upload (multer) interceptors, which no route uses.
import { ExpressAdapter } from '@nestjs/platform-express/adapters';
import { AppModule } from './app.module';
import { loopbackOnly } from './auth/loopback-host';
import { VALIDATION_OPTIONS } from './http/validation-options';
import { AppConfig } from './config/env';
import { setupOpenApi } from './openapi/openapi.setup';

/**
 * Builds a node's application: used by `main.ts` and by the e2e tests alike.
 * `bufferLogs` holds every log line until `app.flushLogs()`, so a failed start can print one line instead.
 */
export async function createApp(
  config: AppConfig,
  options: { logger?: false | LogLevel[] | LoggerService; bufferLogs?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), new ExpressAdapter(), {
    // Bodies are read after authentication, by JsonBodyInterceptor, within each route's limit.
    bodyParser: false,
    logger: options.logger,
    bufferLogs: options.bufferLogs,
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
  app.set('etag', false);
  app.set('x-powered-by', false);
  if (!config.apiToken) app.use(loopbackOnly);
  setupOpenApi(app, config);
  app.enableShutdownHooks();
  return app;
}
