import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';

export const ACCESS_KEY = 'logsync:access';

/** Who may call a route: anyone, peers (signed) and operators (bearer), or clients (bearer). */
export type Access = 'public' | 'peer' | 'client';

/** No authentication at all (health checks). */
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies Access);

/** Node-to-node routes: a valid peer signature, or the API token. */
export const PeerRoute = () => SetMetadata(ACCESS_KEY, 'peer' satisfies Access);

/** The node id of a verified `X-Sync-Node` signature, or undefined for bearer callers. */
export const SignedBy = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest().syncNode,
);
