import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Express, Request, Response } from 'express';
import { AppConfig } from '../config/env';
import { docsPage, docsScript } from './openapi.docs-page';
import { openApiDocument } from './openapi.document';

/** Swagger UI's own files: the ones the page loads, and no others. */
const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
];

/**
 * `GET /openapi.json` and the browsable `/docs`, as plain HTTP routes outside
 * the guard: they need no token, and they hold no data. The document is
 * written in this folder, so nothing reads the controllers; it is built on
 * the first request and kept as text.
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  let documentJson: string | undefined;
  let script: string | undefined;
  const document = () => (documentJson ??= JSON.stringify(openApiDocument(config.nodeId, config.publicUrl)));
  const page = (req: Request, res: Response) => {
    res.type('text/html').send(docsPage(config.nodeId, req.path === '/docs' ? './docs/' : './'));
  };
  const http: Express = app.getHttpAdapter().getInstance();
  http.get('/openapi.json', (_req, res) => res.type('application/json').send(document()));
  http.get('/docs/swagger-ui-init.js', (_req, res) => {
    res.type('application/javascript').send((script ??= docsScript(document())));
  });
  http.get('/docs', page);
  http.get('/docs/index.html', page);
  for (const file of SWAGGER_UI_FILES) http.get(`/docs/${file}`, (_req, res) => res.sendFile(join(SWAGGER_UI, file)));
}
