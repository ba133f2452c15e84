import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/env';
import { openApiDocument } from './openapi.document';

/**
 * `GET /openapi.json` and the browsable `/docs`. Swagger serves them as plain
 * HTTP routes, outside the guard: they need no token, and they hold no data.
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(config.nodeId, config.publicUrl), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: `logsync ${config.nodeId}: API`,
  });
}
