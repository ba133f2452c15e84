import type { OpenAPIObject } from '@nestjs/swagger';
import { PATHS } from './openapi.paths';
import { SCHEMAS } from './openapi.schemas';

/**
 * The node's contract as an OpenAPI 3 document, written from API.md rather
 * than read off the controllers, so it also names routes still being built.
 */
export function openApiDocument(nodeId: string, publicUrl: string): OpenAPIObject {
  return {
    openapi: '3.0.3',
    info: {
      title: 'logsync node',
      version: '2',
      description:
        `Node "${nodeId}". Items and admin need \`Authorization: Bearer <API_TOKEN>\` when API_TOKEN is set; ` +
        'node-to-node routes take an X-Sync-* HMAC signature (docs/protocol.md) or the bearer token.',
    },
    servers: [{ url: publicUrl }],
    tags: [{ name: 'items' }, { name: 'log' }, { name: 'admin' }, { name: 'operations' }],
    paths: PATHS,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' },
        peerSignature: {
          type: 'apiKey', in: 'header', name: 'X-Sync-Signature',
          description: 'with X-Sync-Node and X-Sync-Timestamp: HMAC-SHA256 with SYNC_SECRET (docs/protocol.md)',
        },
      },
    },
  };
}
