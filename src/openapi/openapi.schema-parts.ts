import type { SchemaObject } from './openapi.types';

/** Field shapes the schemas share. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const uuid: SchemaObject = { type: 'string', format: 'uuid' };
export const time: SchemaObject = { type: 'string', format: 'date-time', description: 'ISO-8601 UTC with milliseconds' };
export const fingerprint: SchemaObject = {
  type: 'string',
  pattern: '^[0-9a-f]{40}$',
  description: 'SHA-1 of the JCS canonical {"data","deleted"}',
};
export const nodeId: SchemaObject = { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' };
export const count: SchemaObject = { type: 'integer', minimum: 0 };
export const data: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  nullable: true,
  description: 'any JSON object; null on a tombstone',
};

export const syncResult: SchemaObject = {
  type: 'object',
  required: ['peer', 'ok', 'pulled', 'pushed', 'conflicts', 'rounds', 'durationMs'],
  properties: {
    peer: nodeId,
    ok: { type: 'boolean' },
    pulled: count,
    pushed: count,
    conflicts: count,
    rounds: count,
    durationMs: count,
    error: { type: 'string' },
  },
};
