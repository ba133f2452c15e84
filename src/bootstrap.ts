import { INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig } from './config/env';
import { MAX_REQUEST_BODY } from './core/limits';

/**
 * Builds a node's application: used by `main.ts` and by the e2e tests alike.
 * `bufferLogs` holds every log line until `app.flushLogs()`, so a failed start can print one line instead.
 */
export async function createApp(
  config: AppConfig,
  options: { logger?: false | LogLevel[]; bufferLogs?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    rawBody: true,
    bodyParser: false,
    logger: options.logger,
    bufferLogs: options.bufferLogs,
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useBodyParser('json', { limit: MAX_REQUEST_BODY });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true }),
  );
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.enableShutdownHooks();
  return app;
}
