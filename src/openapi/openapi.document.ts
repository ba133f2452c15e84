import type { OpenAPIObject } from './openapi.types';
import { ADMIN_PATHS } from './openapi.admin-paths';
import { ADMIN_SCHEMAS } from './openapi.admin-schemas';
import { ITEM_PATHS } from './openapi.items-paths';
import { ITEM_SCHEMAS } from './openapi.item-schemas';

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
    paths: { ...ITEM_PATHS, ...ADMIN_PATHS },
    components: {
      schemas: { ...ITEM_SCHEMAS, ...ADMIN_SCHEMAS },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' },
        peerSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Sync-Signature',
          description: 'with X-Sync-Node and X-Sync-Timestamp: HMAC-SHA256 with SYNC_SECRET (docs/protocol.md)',
        },
      },
    },
  };
}
