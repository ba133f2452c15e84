import type { PathsObject } from './openapi.types';
import { conflictId, error, ok, op, peerId, query } from './openapi.operation';

/** Admin and operations routes (API.md: Admin). */
export const ADMIN_PATHS: PathsObject = {
  '/admin/sync': {
    post: op({
      tag: 'admin',
      summary: 'Sync now with every peer, or those named',
      security: 'client',
      body: 'SyncRequest',
      bodyOptional: true,
      responses: {
        200: ok('SyncAnswer', 'after the sync ran'),
        404: error('unknown peer'),
      },
    }),
  },
  '/admin/peers': {
    get: op({ tag: 'admin', summary: 'Peers, their state and progress', security: 'client', responses: { 200: ok('PeerList') } }),
  },
  '/admin/peers/{id}/pause': {
    post: op({
      tag: 'admin',
      summary: 'Pause a peer',
      security: 'client',
      parameters: [peerId],
      responses: { 200: ok('Peer'), 404: error('unknown peer') },
    }),
  },
  '/admin/peers/{id}/resume': {
    post: op({
      tag: 'admin',
      summary: 'Resume a peer',
      security: 'client',
      parameters: [peerId],
      responses: { 200: ok('Peer'), 404: error('unknown peer') },
    }),
  },
  '/admin/peers/{id}/reset': {
    post: op({
      tag: 'admin',
      summary: 'Forget both cursors for a peer',
      security: 'client',
      parameters: [peerId],
      responses: { 200: ok('Peer'), 404: error('unknown peer') },
    }),
  },
  '/admin/peers/{id}/runs': {
    get: op({
      tag: 'admin',
      summary: 'Past syncs with a peer, newest first',
      security: 'client',
      parameters: [peerId, query('limit', { type: 'integer', minimum: 1, maximum: 1000 })],
      responses: { 200: ok('RunList'), 404: error('unknown peer') },
    }),
  },
  '/admin/conflicts': {
    get: op({
      tag: 'admin',
      summary: 'Conflict records, newest first',
      security: 'client',
      parameters: [
        query('itemId', { type: 'string', format: 'uuid' }),
        query('peer', { type: 'string' }),
        query('status', { type: 'string', enum: ['open', 'resolved', 'dismissed'] }),
        query('limit', { type: 'integer', minimum: 1, maximum: 1000 }),
        query('after', { type: 'string' }),
      ],
      responses: { 200: ok('ConflictPage'), 400: error('bad filter') },
    }),
  },
  '/admin/conflicts/{id}/resolve': {
    post: op({
      tag: 'admin',
      summary: 'Resolve a conflict with the winner, the loser or new data',
      security: 'client',
      parameters: [conflictId],
      body: 'Resolve',
      responses: {
        200: ok('Item', 'the new causal version'),
        400: error('neither pick nor data'),
        404: error('unknown conflict'),
      },
    }),
  },
  '/admin/conflicts/{id}/dismiss': {
    post: op({
      tag: 'admin',
      summary: 'Dismiss a conflict',
      security: 'client',
      parameters: [conflictId],
      responses: {
        200: { description: 'dismissed' },
        404: error('unknown conflict'),
      },
    }),
  },
  '/status': {
    get: op({
      tag: 'operations',
      summary: 'Status page for a person (HTML)',
      security: 'public',
      responses: {
        200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    }),
  },
  '/openapi.json': {
    get: op({
      tag: 'operations',
      summary: 'This document',
      security: 'public',
      responses: {
        200: { description: 'OpenAPI 3 document', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    }),
  },
  '/health': {
    get: op({
      tag: 'operations',
      summary: 'Database reachability',
      security: 'public',
      responses: {
        200: ok('Health', 'the database answers'),
        503: error('the database does not answer'),
      },
    }),
  },
  '/metrics': {
    get: op({
      tag: 'operations',
      summary: 'Prometheus metrics',
      security: 'client',
      responses: {
        200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    }),
  },
};
