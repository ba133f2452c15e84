import type { SchemaObject } from './openapi.types';
import { count, nodeId, ref, syncResult, time, uuid } from './openapi.schema-parts';

/** The shapes of the admin routes and errors. */
export const ADMIN_SCHEMAS: Record<string, SchemaObject> = {
  SyncRequest: { type: 'object', properties: { peers: { type: 'array', items: nodeId } } },
  SyncAnswer: { type: 'object', required: ['results'], properties: { results: { type: 'array', items: syncResult } } },
  SyncResult: syncResult,
  Peer: {
    type: 'object',
    required: [
      'id',
      'url',
      'state',
      'paused',
      'lastResult',
      'lastSuccessAt',
      'nextRunAt',
      'consecutiveFailures',
      'progress',
      'backlog',
    ],
    properties: {
      id: nodeId,
      url: { type: 'string', format: 'uri' },
      state: { type: 'string', enum: ['idle', 'scheduled', 'running', 'backing-off', 'stood-down', 'paused'] },
      paused: { type: 'boolean' },
      lastResult: { ...ref('SyncResult'), nullable: true } as SchemaObject,
      lastSuccessAt: { ...time, nullable: true },
      nextRunAt: { ...time, nullable: true },
      consecutiveFailures: count,
      progress: {
        type: 'object',
        nullable: true,
        properties: { phase: { type: 'string' }, done: count, total: count, itemsPerSecond: { type: 'number' } },
      },
      backlog: { type: 'object', properties: { push: count } },
    },
  },
  PeerList: { type: 'object', required: ['peers'], properties: { peers: { type: 'array', items: ref('Peer') } } },
  RunList: {
    type: 'object',
    required: ['runs'],
    properties: {
      runs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['startedAt', 'finishedAt', 'trigger', 'ok', 'pulled', 'pushed', 'conflicts', 'rounds'],
          properties: {
            startedAt: time,
            finishedAt: time,
            trigger: { type: 'string', enum: ['admin', 'schedule', 'write'] },
            ok: { type: 'boolean' },
            pulled: count,
            pushed: count,
            conflicts: count,
            rounds: count,
            error: { type: 'string' },
          },
        },
      },
    },
  },
  Conflict: {
    type: 'object',
    required: ['id', 'itemId', 'peer', 'detectedAt', 'status', 'winner', 'loser'],
    properties: {
      id: { type: 'string' },
      itemId: uuid,
      peer: nodeId,
      detectedAt: time,
      status: { type: 'string', enum: ['open', 'resolved', 'dismissed'] },
      winner: ref('Item'),
      loser: ref('Item'),
    },
  },
  ConflictPage: {
    type: 'object',
    required: ['conflicts', 'next'],
    properties: { conflicts: { type: 'array', items: ref('Conflict') }, next: { type: 'string', nullable: true } },
  },
  Resolve: {
    type: 'object',
    description: 'either pick or data',
    properties: { pick: { type: 'string', enum: ['winner', 'loser'] }, data: { type: 'object', additionalProperties: true } },
  },
  Health: { type: 'object', additionalProperties: true },
  Error: {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
  },
};
