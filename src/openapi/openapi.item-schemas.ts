import type { SchemaObject } from './openapi.types';
import { count, data, fingerprint, nodeId, ref, time, uuid } from './openapi.schema-parts';

/** The fields a log entry and a pushed entry share: the item's id and its version's key. */
const entryKey: Record<string, SchemaObject> = {
  itemId: uuid,
  updatedAt: time,
  fingerprint,
  deleted: { type: 'boolean' },
  origin: nodeId,
  priority: { type: 'integer' },
};

/** The shapes of the items API and the log, named once and referenced by the paths. */
export const ITEM_SCHEMAS: Record<string, SchemaObject> = {
  Item: {
    type: 'object',
    required: ['id', 'data', 'deleted', 'updatedAt', 'origin', 'priority', 'fingerprint', 'uri'],
    properties: {
      id: uuid,
      data,
      deleted: { type: 'boolean' },
      updatedAt: time,
      origin: nodeId,
      priority: { type: 'integer' },
      fingerprint,
      uri: { type: 'string', format: 'uri' },
    },
  },
  ItemWrite: {
    type: 'object',
    required: ['data'],
    properties: { id: uuid, data: { type: 'object', additionalProperties: true } },
  },
  ItemPut: { type: 'object', required: ['data'], properties: { data: { type: 'object', additionalProperties: true } } },
  ItemPage: {
    type: 'object',
    required: ['items', 'next'],
    properties: { items: { type: 'array', items: ref('Item') }, next: { type: 'string', nullable: true } },
  },
  BatchRequest: { type: 'object', required: ['ids'], properties: { ids: { type: 'array', maxItems: 1000, items: uuid } } },
  BatchAnswer: {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref('Item') },
      missing: { type: 'array', items: uuid, description: 'left for another call (8 MiB per answer)' },
    },
  },
  BulkRequest: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          properties: {
            id: uuid,
            data: { type: 'object', additionalProperties: true },
            deleted: { type: 'boolean', enum: [true] },
            ifMatch: { type: 'string' },
          },
        },
      },
    },
  },
  BulkAnswer: {
    type: 'object',
    required: ['results'],
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'status'],
          properties: {
            id: uuid,
            status: { type: 'integer', enum: [200, 201, 204, 400, 404, 409, 412] },
            fingerprint,
            message: { type: 'string' },
          },
        },
      },
    },
  },
  LogEntry: {
    type: 'object',
    required: ['itemId', 'updatedAt', 'fingerprint', 'deleted', 'origin', 'priority', 'recordedAt', 'itemURI'],
    properties: {
      ...entryKey,
      recordedAt: time,
      itemURI: { type: 'string', format: 'uri' },
      data: { ...data, description: 'with include=data' },
    },
  },
  LogPage: {
    type: 'object',
    required: ['node', 'entries', 'cursor', 'hasMore'],
    properties: {
      node: nodeId,
      entries: { type: 'array', items: ref('LogEntry') },
      cursor: { type: 'string', description: 'opaque' },
      hasMore: { type: 'boolean' },
    },
  },
  PushEntry: {
    type: 'object',
    required: ['itemId', 'updatedAt', 'fingerprint', 'deleted', 'origin', 'priority', 'data'],
    properties: {
      ...entryKey,
      data,
    },
  },
  PushBody: {
    type: 'object',
    required: ['node', 'entries'],
    properties: {
      node: nodeId,
      basis: { type: 'string', description: "cursor of the receiver's log the sender read" },
      entries: { type: 'array', maxItems: 1000, items: ref('PushEntry') },
    },
  },
  PushAnswer: {
    type: 'object',
    required: ['applied', 'unchanged', 'superseded'],
    properties: { applied: count, unchanged: count, superseded: count },
  },
  PushConflict: { type: 'object', required: ['conflicts'], properties: { conflicts: { type: 'array', items: uuid } } },
};
