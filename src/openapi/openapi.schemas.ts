import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const time: SchemaObject = { type: 'string', format: 'date-time', description: 'ISO-8601 UTC with milliseconds' };
const fingerprint: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{40}$', description: 'SHA-1 of the JCS canonical {"data","deleted"}' };
const nodeId: SchemaObject = { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' };
const count: SchemaObject = { type: 'integer', minimum: 0 };
const data: SchemaObject = { type: 'object', additionalProperties: true, nullable: true, description: 'any JSON object; null on a tombstone' };

const syncResult: SchemaObject = {
  type: 'object',
  required: ['peer', 'ok', 'pulled', 'pushed', 'conflicts', 'rounds', 'durationMs'],
  properties: {
    peer: nodeId, ok: { type: 'boolean' }, pulled: count, pushed: count, conflicts: count, rounds: count, durationMs: count,
    error: { type: 'string' },
  },
};

/** The shapes of API.md, named once and referenced by the paths. */
export const SCHEMAS: Record<string, SchemaObject> = {
  Item: {
    type: 'object',
    required: ['id', 'data', 'deleted', 'updatedAt', 'origin', 'priority', 'fingerprint', 'uri'],
    properties: { id: uuid, data, deleted: { type: 'boolean' }, updatedAt: time, origin: nodeId, priority: { type: 'integer' }, fingerprint, uri: { type: 'string', format: 'uri' } },
  },
  ItemWrite: { type: 'object', required: ['data'], properties: { id: uuid, data: { type: 'object', additionalProperties: true } } },
  ItemPut: { type: 'object', required: ['data'], properties: { data: { type: 'object', additionalProperties: true } } },
  ItemPage: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: ref('Item') }, next: { type: 'string', nullable: true } } },
  BatchRequest: { type: 'object', required: ['ids'], properties: { ids: { type: 'array', maxItems: 1000, items: uuid } } },
  BatchAnswer: {
    type: 'object', required: ['items'],
    properties: { items: { type: 'array', items: ref('Item') }, missing: { type: 'array', items: uuid, description: 'left for another call (8 MiB per answer)' } },
  },
  BulkRequest: {
    type: 'object', required: ['items'],
    properties: {
      items: {
        type: 'array', maxItems: 1000,
        items: { type: 'object', properties: { id: uuid, data: { type: 'object', additionalProperties: true }, deleted: { type: 'boolean', enum: [true] }, ifMatch: { type: 'string' } } },
      },
    },
  },
  BulkAnswer: {
    type: 'object', required: ['results'],
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object', required: ['id', 'status'],
          properties: { id: uuid, status: { type: 'integer', enum: [200, 201, 204, 400, 404, 409, 412] }, fingerprint, message: { type: 'string' } },
        },
      },
    },
  },
  LogEntry: {
    type: 'object',
    required: ['itemId', 'updatedAt', 'fingerprint', 'deleted', 'origin', 'priority', 'recordedAt', 'itemURI'],
    properties: {
      itemId: uuid, updatedAt: time, fingerprint, deleted: { type: 'boolean' }, origin: nodeId, priority: { type: 'integer' },
      recordedAt: time, itemURI: { type: 'string', format: 'uri' }, data: { ...data, description: 'with include=data' },
    },
  },
  LogPage: {
    type: 'object', required: ['node', 'entries', 'cursor', 'hasMore'],
    properties: { node: nodeId, entries: { type: 'array', items: ref('LogEntry') }, cursor: { type: 'string', description: 'opaque' }, hasMore: { type: 'boolean' } },
  },
  PushEntry: {
    type: 'object', required: ['itemId', 'updatedAt', 'fingerprint', 'deleted', 'origin', 'priority', 'data'],
    properties: { itemId: uuid, updatedAt: time, fingerprint, deleted: { type: 'boolean' }, origin: nodeId, priority: { type: 'integer' }, data },
  },
  PushBody: {
    type: 'object', required: ['node', 'entries'],
    properties: { node: nodeId, basis: { type: 'string', description: "cursor of the receiver's log the sender read" }, entries: { type: 'array', maxItems: 1000, items: ref('PushEntry') } },
  },
  PushAnswer: { type: 'object', required: ['applied', 'unchanged', 'superseded'], properties: { applied: count, unchanged: count, superseded: count } },
  PushConflict: { type: 'object', required: ['conflicts'], properties: { conflicts: { type: 'array', items: uuid } } },
  SyncRequest: { type: 'object', properties: { peers: { type: 'array', items: nodeId } } },
  SyncAnswer: { type: 'object', required: ['results'], properties: { results: { type: 'array', items: syncResult } } },
  SyncResult: syncResult,
  Peer: {
    type: 'object',
    required: ['id', 'url', 'state', 'paused', 'lastResult', 'lastSuccessAt', 'nextRunAt', 'consecutiveFailures', 'progress', 'backlog'],
    properties: {
      id: nodeId, url: { type: 'string', format: 'uri' },
      state: { type: 'string', enum: ['idle', 'scheduled', 'running', 'backing-off', 'stood-down', 'paused'] },
      paused: { type: 'boolean' }, lastResult: { ...ref('SyncResult'), nullable: true } as SchemaObject,
      lastSuccessAt: { ...time, nullable: true }, nextRunAt: { ...time, nullable: true }, consecutiveFailures: count,
      progress: {
        type: 'object', nullable: true,
        properties: { phase: { type: 'string' }, done: count, total: count, itemsPerSecond: { type: 'number' } },
      },
      backlog: { type: 'object', properties: { push: count } },
    },
  },
  PeerList: { type: 'object', required: ['peers'], properties: { peers: { type: 'array', items: ref('Peer') } } },
  RunList: {
    type: 'object', required: ['runs'],
    properties: {
      runs: {
        type: 'array',
        items: {
          type: 'object', required: ['startedAt', 'finishedAt', 'trigger', 'ok', 'pulled', 'pushed', 'conflicts', 'rounds'],
          properties: {
            startedAt: time, finishedAt: time, trigger: { type: 'string', enum: ['admin', 'schedule', 'write'] }, ok: { type: 'boolean' },
            pulled: count, pushed: count, conflicts: count, rounds: count, error: { type: 'string' },
          },
        },
      },
    },
  },
  Conflict: {
    type: 'object', required: ['id', 'itemId', 'peer', 'detectedAt', 'status', 'winner', 'loser'],
    properties: {
      id: { type: 'string' }, itemId: uuid, peer: nodeId, detectedAt: time, status: { type: 'string', enum: ['open', 'resolved', 'dismissed'] },
      winner: ref('Item'), loser: ref('Item'),
    },
  },
  ConflictPage: { type: 'object', required: ['conflicts', 'next'], properties: { conflicts: { type: 'array', items: ref('Conflict') }, next: { type: 'string', nullable: true } } },
  Resolve: {
    type: 'object', description: 'either pick or data',
    properties: { pick: { type: 'string', enum: ['winner', 'loser'] }, data: { type: 'object', additionalProperties: true } },
  },
  Health: { type: 'object', additionalProperties: true },
  Error: {
    type: 'object', required: ['statusCode', 'error', 'message'],
    properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
  },
};
