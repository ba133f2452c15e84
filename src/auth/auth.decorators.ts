import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';

export const ACCESS_KEY = 'logsync:access';

/**
 * Who may call a route: anyone; peers (signed) and operators (bearer); clients
 * (bearer); or both clients and peers, as `POST /items/batch` serves both.
 */
export type Access = 'public' | 'peer' | 'client' | 'client-or-peer';

/** No authentication at all (health checks). */
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies Access);

/** Node-to-node routes: a valid peer signature, or the API token. */
export const PeerRoute = () => SetMetadata(ACCESS_KEY, 'peer' satisfies Access);

/** An items route peers also call: a valid signature, or whatever the items API accepts. */
export const ClientOrPeerRoute = () => SetMetadata(ACCESS_KEY, 'client-or-peer' satisfies Access);

/** The node id of a verified `X-Sync-Node` signature, or undefined for bearer callers. */
export const SignedBy = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest().syncNode,
);
