import type { Request } from 'express';
import { MAX_REQUEST_BODY } from '../core/limits';

const KIB = 1024;
const MIB = 1024 * KIB;

/** Bodies of routes not listed below: admin calls and anything small. */
export const DEFAULT_BODY_LIMIT = 64 * KIB;

/**
 * The largest body each JSON route reads, by route pattern. Only a push and a
 * bulk write need 16 MiB; one item is 1 MiB of data plus room for the
 * envelope and the escapes a client may use; a batch is 1000 quoted UUIDs.
 */
const LIMITS: Record<string, number> = {
  'PUT /items/transactions': MAX_REQUEST_BODY,
  'POST /items/bulk': MAX_REQUEST_BODY,
  'POST /items': 2 * MIB,
  'PUT /items/:id': 2 * MIB,
  'POST /admin/conflicts/:id/resolve': 2 * MIB,
  'POST /items/batch': 128 * KIB,
};

/** The route this request matched, as `METHOD /pattern`. */
export function routeOf(request: Request): string | undefined {
  const route = (request as Request & { route?: { path?: unknown } }).route?.path;
  return typeof route === 'string' ? `${request.method} ${route}` : undefined;
}

/** The body limit of the route this request matched. */
export function bodyLimitOf(request: Request): number {
  const route = routeOf(request);
  return (route !== undefined && LIMITS[route]) || DEFAULT_BODY_LIMIT;
}
