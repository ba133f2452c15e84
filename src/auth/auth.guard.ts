import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { bodyLimitOf } from '../http/body-limits';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { REFUSAL, Refusal } from '../common/refusal';
import { RequestWithRawBody, declaredLength, readRawBody } from '../http/raw-body';
import { AppConfig, NODE_ID_PATTERN } from '../config/env';
import { ACCESS_KEY, Access } from './auth.decorators';
import { SeenSignaturesRepository } from './seen-signatures.repository';
import { SYNC_NODE_HEADER, SYNC_SIGNATURE_HEADER, SYNC_TIMESTAMP_HEADER, signatureMatches } from './signature';
import { MAX_CLOCK_SKEW_MS } from '../core/limits';

type SyncRequest = Request & RequestWithRawBody & { syncNode?: string };

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * One guard for every route, run before any body is read (see
 * JsonBodyInterceptor). Items and admin need the bearer token when
 * `API_TOKEN` is set. Node-to-node routes need a valid peer signature or the
 * bearer token; with neither a sync secret nor a token configured the node
 * listens on loopback only and they are as open as the items API.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly seen: SeenSignaturesRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SyncRequest>();
    const access = this.reflector.getAllAndOverride<Access>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? 'client';
    if (access === 'public') return true;
    if (access !== 'client' && header(request, SYNC_SIGNATURE_HEADER) !== undefined) {
      request.syncNode = await this.verifySignature(request);
      return true;
    }
    if (this.bearerAccepted(request)) return true;
    if (access === 'peer' && !this.config.apiToken && !this.config.syncSecret) return true;
    if (access !== 'peer' && !this.config.apiToken) return true;
    throw new DomainError(
      'UNAUTHORIZED',
      access === 'peer' ? 'a peer signature (X-Sync-*) or a bearer token is required' : 'a bearer token is required',
      { reason: REFUSAL.missingCredentials },
    );
  }

  private bearerAccepted(request: Request): boolean {
    const token = this.config.apiToken;
    const given = /^Bearer (.+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
    return token !== undefined && given !== undefined && sameSecret(given, token);
  }

  /**
   * Returns the verified node id, or throws 401 saying what is wrong. Every
   * check that needs no body comes first; the body is then hashed (not
   * parsed) for the signature, and the signature recorded against replays.
   */
  private async verifySignature(request: SyncRequest): Promise<string> {
    const node = header(request, SYNC_NODE_HEADER) ?? '';
    const timestamp = header(request, SYNC_TIMESTAMP_HEADER) ?? '';
    const signature = header(request, SYNC_SIGNATURE_HEADER) ?? '';
    const shown = NODE_ID_PATTERN.test(node) ? node : '?';
    const reject = (reason: Refusal, why: string): never => {
      this.logger.warn(`refused signed ${request.method} ${request.path} from "${shown}": ${why}`);
      throw new DomainError('UNAUTHORIZED', why, { reason });
    };
    if (!this.config.syncSecret) reject(REFUSAL.noSyncSecret, 'signed requests: this node has no SYNC_SECRET');
    if (!node) reject(REFUSAL.missingSignature, 'missing signature headers: X-Sync-Node is required');
    if (!this.config.peers.some((peer) => peer.id === node)) {
      reject(REFUSAL.unknownSender, `unknown sender: "${shown}" is not in this node's PEERS`);
    }
    if (!/^\d{1,16}$/.test(timestamp)) {
      reject(REFUSAL.missingSignature, 'missing signature headers: X-Sync-Timestamp must be unix milliseconds');
    }
    const skewMs = Number(timestamp) - this.clock.now();
    if (Math.abs(skewMs) > MAX_CLOCK_SKEW_MS) {
      const off = Math.round(skewMs / 1000);
      reject(REFUSAL.clockSkew, `clock skew: X-Sync-Timestamp is ${off} s from this node's clock (limit ±300 s)`);
    }
    if (!/^[0-9a-f]{64}$/.test(signature))
      reject(REFUSAL.badSignature, 'bad signature: X-Sync-Signature must be 64 lowercase hex digits');
    const limit = bodyLimitOf(request);
    // Hashing costs the node the whole body: one announced far past what this route takes is refused unread.
    if ((declaredLength(request) ?? 0) > 2 * limit) {
      reject(
        REFUSAL.badSignature,
        `bad signature: not verified, the body announced is over twice this route's limit of ${limit} bytes`,
      );
    }
    const body = await readRawBody(request, limit);
    const signed = {
      method: request.method,
      path: request.originalUrl,
      timestamp,
      sender: node,
      receiver: this.config.nodeId,
      body,
    };
    if (!signatureMatches(this.config.syncSecret!, signed, signature)) {
      reject(REFUSAL.badSignature, 'bad signature: X-Sync-Signature does not match');
    }
    const fresh = await this.seen.firstUse(signature, Number(timestamp) + MAX_CLOCK_SKEW_MS, this.clock.now());
    if (!fresh) reject(REFUSAL.replay, 'replay: this signature was already used');
    return node;
  }
}
