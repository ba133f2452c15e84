import type { OperationObject, ParameterObject, PathsObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

type Security = 'public' | 'client' | 'peer' | 'client-or-peer';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: string) => ({ content: { 'application/json': { schema: ref(schema) } } });
const error = (description: string) => ({ description, ...json('Error') });
const itemId: ParameterObject = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const peerId: ParameterObject = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' } };
const conflictId: ParameterObject = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch: ParameterObject = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: '"<fingerprint>"' };
const query = (name: string, schema: ParameterObject['schema'], description?: string): ParameterObject => ({ name, in: 'query', schema, description });

const SECURITY: Record<Security, OperationObject['security']> = {
  public: [],
  client: [{ bearer: [] }],
  peer: [{ peerSignature: [] }, { bearer: [] }],
  'client-or-peer': [{ bearer: [] }, { peerSignature: [] }],
};

interface Op {
  tag: string;
  summary: string;
  security: Security;
  body?: string;
  /** The body may be left out (`POST /admin/sync` with no body syncs every peer). */
  bodyOptional?: boolean;
  parameters?: ParameterObject[];
  responses: OperationObject['responses'];
}

function op({ tag, summary, security, body, bodyOptional, parameters, responses }: Op): OperationObject {
  const operation: OperationObject = { tags: [tag], summary, security: SECURITY[security], responses };
  if (parameters) operation.parameters = parameters;
  if (body) operation.requestBody = { required: !bodyOptional, ...json(body) };
  if (security !== 'public') operation.responses = { ...responses, 401: error('authentication missing or wrong') };
  return operation;
}

const ok = (schema: string, description = 'OK') => ({ description, ...json(schema) });

/** Every route of the node's contract (API.md), with its request and answers. */
export const PATHS: PathsObject = {
  '/items': {
    post: op({ tag: 'items', summary: 'Create an item', security: 'client', body: 'ItemWrite', responses: {
      201: ok('Item', 'created; Location and ETag headers'), 400: error('malformed id or data'), 409: error('that id is live'), 415: error('not JSON'),
    } }),
    get: op({ tag: 'items', summary: 'List live items', security: 'client', parameters: [
      query('limit', { type: 'integer', minimum: 1, maximum: 1000 }), query('after', { type: 'string' }, 'the `next` of the previous page'),
    ], responses: { 200: ok('ItemPage'), 400: error('bad limit or cursor') } }),
  },
  '/items/{id}': {
    get: op({ tag: 'items', summary: 'Read an item', security: 'client', parameters: [itemId], responses: {
      200: ok('Item'), 404: error('never seen'), 410: ok('Item', 'deleted: the tombstone item'),
    } }),
    put: op({ tag: 'items', summary: 'Replace or create an item', security: 'client', parameters: [itemId, ifMatch], body: 'ItemPut', responses: {
      200: ok('Item', 'updated'), 201: ok('Item', 'created'), 400: error('malformed data'), 412: error('If-Match is stale'),
    } }),
    delete: op({ tag: 'items', summary: 'Delete an item (leaves a tombstone)', security: 'client', parameters: [itemId, ifMatch], responses: {
      204: { description: 'deleted' }, 404: error('unknown or already deleted'), 412: error('If-Match is stale'),
    } }),
  },
  '/items/batch': {
    post: op({ tag: 'items', summary: 'Read up to 1000 items by id, tombstones included', security: 'client-or-peer', body: 'BatchRequest', responses: {
      200: ok('BatchAnswer'), 400: error('malformed ids'),
    } }),
  },
  '/items/bulk': {
    post: op({ tag: 'items', summary: 'Up to 1000 writes in one transaction', security: 'client', body: 'BulkRequest', responses: {
      200: ok('BulkAnswer', 'one result per entry, in order'), 400: error('malformed request'), 413: error('over 1000 entries or 16 MiB'),
    } }),
  },
  '/items/transactions': {
    get: op({ tag: 'log', summary: "Read this node's transaction log", security: 'peer', parameters: [
      query('earliest', { type: 'string', format: 'date-time' }), query('after', { type: 'string' }, 'opaque cursor; takes precedence'),
      query('limit', { type: 'integer', minimum: 1, maximum: 10000 }), query('include', { type: 'string', enum: ['data'] }),
    ], responses: { 200: ok('LogPage'), 400: error('a cursor this node did not issue, or a bad parameter') } }),
    put: op({ tag: 'log', summary: 'Push versions (applied by the winner rule, in one transaction)', security: 'peer', body: 'PushBody', responses: {
      200: ok('PushAnswer'), 400: error('malformed entry or fingerprint mismatch: nothing applied'),
      409: ok('PushConflict', 'an item changed after basis: nothing applied, retry the round'), 413: error('over 1000 entries or 16 MiB'),
    } }),
  },
  '/admin/sync': {
    post: op({ tag: 'admin', summary: 'Sync now with every peer, or those named', security: 'client', body: 'SyncRequest', bodyOptional: true, responses: {
      200: ok('SyncAnswer', 'after the sync ran'), 404: error('unknown peer'),
    } }),
  },
  '/admin/peers': { get: op({ tag: 'admin', summary: 'Peers, their state and progress', security: 'client', responses: { 200: ok('PeerList') } }) },
  '/admin/peers/{id}/pause': {
    post: op({ tag: 'admin', summary: 'Pause a peer', security: 'client', parameters: [peerId], responses: { 200: ok('Peer'), 404: error('unknown peer') } }),
  },
  '/admin/peers/{id}/resume': {
    post: op({ tag: 'admin', summary: 'Resume a peer', security: 'client', parameters: [peerId], responses: { 200: ok('Peer'), 404: error('unknown peer') } }),
  },
  '/admin/peers/{id}/reset': {
    post: op({ tag: 'admin', summary: "Forget both cursors for a peer", security: 'client', parameters: [peerId], responses: {
      200: { description: 'reset' }, 404: error('unknown peer'),
    } }),
  },
  '/admin/peers/{id}/runs': {
    get: op({ tag: 'admin', summary: 'Past syncs with a peer, newest first', security: 'client', parameters: [
      peerId, query('limit', { type: 'integer', minimum: 1, maximum: 1000 }),
    ], responses: { 200: ok('RunList'), 404: error('unknown peer') } }),
  },
  '/admin/conflicts': {
    get: op({ tag: 'admin', summary: 'Conflict records, newest first', security: 'client', parameters: [
      query('itemId', { type: 'string', format: 'uuid' }), query('peer', { type: 'string' }),
      query('status', { type: 'string', enum: ['open', 'resolved', 'dismissed'] }), query('limit', { type: 'integer', minimum: 1, maximum: 1000 }),
      query('after', { type: 'string' }),
    ], responses: { 200: ok('ConflictPage'), 400: error('bad filter') } }),
  },
  '/admin/conflicts/{id}/resolve': {
    post: op({ tag: 'admin', summary: 'Resolve a conflict with the winner, the loser or new data', security: 'client', parameters: [conflictId],
      body: 'Resolve', responses: { 200: ok('Item', 'the new causal version'), 400: error('neither pick nor data'), 404: error('unknown conflict') } }),
  },
  '/admin/conflicts/{id}/dismiss': {
    post: op({ tag: 'admin', summary: 'Dismiss a conflict', security: 'client', parameters: [conflictId], responses: {
      200: { description: 'dismissed' }, 404: error('unknown conflict'),
    } }),
  },
  '/status': {
    get: op({ tag: 'operations', summary: 'Status page for a person (HTML)', security: 'public', responses: {
      200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
    } }),
  },
  '/openapi.json': {
    get: op({ tag: 'operations', summary: 'This document', security: 'public', responses: {
      200: { description: 'OpenAPI 3 document', content: { 'application/json': { schema: { type: 'object' } } } },
    } }),
  },
  '/health': {
    get: op({ tag: 'operations', summary: 'Database reachability', security: 'public', responses: {
      200: ok('Health', 'the database answers'), 503: error('the database does not answer'),
    } }),
  },
  '/metrics': {
    get: op({ tag: 'operations', summary: 'Prometheus metrics', security: 'client', responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
    } }),
  },
};
