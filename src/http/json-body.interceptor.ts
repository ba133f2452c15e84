import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, from, switchMap } from 'rxjs';
import { bodyLimitOf } from './body-limits';
import { DomainError } from '../common/domain-error';
import { checkJsonContentType, parseJsonBody } from './json-body';
import { RequestWithRawBody, declaredLength, hasBody, readRawBody } from './raw-body';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function tooLarge(limit: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `request body is larger than this route's ${limit} byte limit`);
}

/**
 * Reads and parses JSON bodies. It runs after the guard, so a request that
 * fails authentication is never read or parsed (a signed one is only hashed);
 * each route reads at most its own limit (see body-limits).
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & RequestWithRawBody>();
    if (!WITH_BODY.has(request.method)) return next.handle();
    return from(this.load(request)).pipe(switchMap(() => next.handle()));
  }

  private async load(request: Request & RequestWithRawBody): Promise<void> {
    const limit = bodyLimitOf(request);
    const read = request.rawBody;
    // An empty body needs no type: `curl -X POST …/admin/sync` works.
    if (read ? read.bytes.length === 0 && !read.overLimit : !hasBody(request)) {
      request.body = {};
      return;
    }
    checkJsonContentType(request);
    if ((declaredLength(request) ?? 0) > limit) throw tooLarge(limit);
    const raw = await readRawBody(request, limit);
    if (raw.overLimit) throw tooLarge(limit);
    request.body = raw.bytes.length === 0 ? {} : await parseJsonBody(request, raw.bytes, limit);
  }
}
