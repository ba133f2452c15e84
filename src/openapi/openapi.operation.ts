import type { OperationObject, ParameterObject } from './openapi.types';

/** Who may call a route, as the auth guard decides it. */
export type Security = 'public' | 'client' | 'peer' | 'client-or-peer';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: string) => ({ content: { 'application/json': { schema: ref(schema) } } });
export const error = (description: string) => ({ description, ...json('Error') });
export const itemId: ParameterObject = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
export const peerId: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' },
};
export const conflictId: ParameterObject = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
export const ifMatch: ParameterObject = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: '"<fingerprint>"',
};
export const query = (name: string, schema: ParameterObject['schema'], description?: string): ParameterObject => ({
  name,
  in: 'query',
  schema,
  description,
});

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

/** One route's operation: its tag, security, parameters, body and answers (a 401 on every route that needs auth). */
export function op({ tag, summary, security, body, bodyOptional, parameters, responses }: Op): OperationObject {
  const operation: OperationObject = { tags: [tag], summary, security: SECURITY[security], responses };
  if (parameters) operation.parameters = parameters;
  if (body) operation.requestBody = { required: !bodyOptional, ...json(body) };
  if (security !== 'public') operation.responses = { ...responses, 401: error('authentication missing or wrong') };
  return operation;
}

export const ok = (schema: string, description = 'OK') => ({ description, ...json(schema) });
