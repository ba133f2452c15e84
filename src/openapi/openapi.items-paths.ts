import type { PathsObject } from './openapi.types';
import { error, ifMatch, itemId, ok, op, query } from './openapi.operation';

/** The items API and the transaction log (API.md: Items, The transaction log). */
export const ITEM_PATHS: PathsObject = {
  '/items': {
    post: op({
      tag: 'items',
      summary: 'Create an item',
      security: 'client',
      body: 'ItemWrite',
      responses: {
        201: ok('Item', 'created; Location and ETag headers'),
        400: error('malformed id or data'),
        409: error('that id is live'),
        415: error('not JSON'),
      },
    }),
    get: op({
      tag: 'items',
      summary: 'List live items',
      security: 'client',
      parameters: [
        query('limit', { type: 'integer', minimum: 1, maximum: 1000 }),
        query('after', { type: 'string' }, 'the `next` of the previous page'),
      ],
      responses: { 200: ok('ItemPage'), 400: error('bad limit or cursor') },
    }),
  },
  '/items/{id}': {
    get: op({
      tag: 'items',
      summary: 'Read an item',
      security: 'client',
      parameters: [itemId],
      responses: {
        200: ok('Item'),
        404: error('never seen'),
        410: ok('Item', 'deleted: the tombstone item'),
      },
    }),
    put: op({
      tag: 'items',
      summary: 'Replace or create an item',
      security: 'client',
      parameters: [itemId, ifMatch],
      body: 'ItemPut',
      responses: {
        200: ok('Item', 'updated'),
        201: ok('Item', 'created'),
        400: error('malformed data'),
        412: error('If-Match is stale'),
      },
    }),
    delete: op({
      tag: 'items',
      summary: 'Delete an item (leaves a tombstone)',
      security: 'client',
      parameters: [itemId, ifMatch],
      responses: {
        204: { description: 'deleted' },
        404: error('unknown or already deleted'),
        412: error('If-Match is stale'),
      },
    }),
  },
  '/items/batch': {
    post: op({
      tag: 'items',
      summary: 'Read up to 1000 items by id, tombstones included',
      security: 'client-or-peer',
      body: 'BatchRequest',
      responses: {
        200: ok('BatchAnswer'),
        400: error('malformed ids'),
      },
    }),
  },
  '/items/bulk': {
    post: op({
      tag: 'items',
      summary: 'Up to 1000 writes in one transaction',
      security: 'client',
      body: 'BulkRequest',
      responses: {
        200: ok('BulkAnswer', 'one result per entry, in order'),
        400: error('malformed request'),
        413: error('over 1000 entries or 16 MiB'),
      },
    }),
  },
  '/items/transactions': {
    get: op({
      tag: 'log',
      summary: "Read this node's transaction log",
      security: 'peer',
      parameters: [
        query('earliest', { type: 'string', format: 'date-time' }),
        query('after', { type: 'string' }, 'opaque cursor; takes precedence'),
        query('limit', { type: 'integer', minimum: 1, maximum: 10000 }),
        query('include', { type: 'string', enum: ['data'] }),
      ],
      responses: { 200: ok('LogPage'), 400: error('a cursor this node did not issue, or a bad parameter') },
    }),
    put: op({
      tag: 'log',
      summary: 'Push versions (applied by the winner rule, in one transaction)',
      security: 'peer',
      body: 'PushBody',
      responses: {
        200: ok('PushAnswer'),
        400: error('malformed entry or fingerprint mismatch: nothing applied'),
        409: ok('PushConflict', 'an item changed after basis: nothing applied, retry the round'),
        413: error('over 1000 entries or 16 MiB'),
      },
    }),
  },
};
