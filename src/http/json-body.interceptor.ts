import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, from, switchMap } from 'rxjs';
import { bodyLimitOf } from './body-limits';
import { DomainError } from '../common/domain-error';
import { RequestWithJsonText, takesJsonText } from './data-body';
import { checkJsonContentType, decodeJsonBody, parseJsonText } from './json-body';
import { RequestWithRawBody, declaredLength, hasBody, readRawBody } from './raw-body';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function tooLarge(limit: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `request body is larger than this route's ${limit} byte limit`);
}

type BodyRequest = Request & RequestWithRawBody & RequestWithJsonText;

/**
 * Reads and parses JSON bodies. It runs after the guard, so a request that
 * fails authentication is never read or parsed (a signed one is only hashed);
 * each route reads at most its own limit (see body-limits). A route that
 * parses its own body (see `JsonText`) gets the checked, decoded text.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<BodyRequest>();
    if (!WITH_BODY.has(request.method)) return next.handle();
    return from(this.load(request)).pipe(switchMap(() => next.handle()));
  }

  private async load(request: BodyRequest): Promise<void> {
    const limit = bodyLimitOf(request);
    const read = request.rawBody;
    // An empty body needs no type: `curl -X POST …/admin/sync` works.
    if (read ? read.bytes.length === 0 && !read.overLimit : !hasBody(request)) return this.setBody(request, undefined);
    checkJsonContentType(request);
    if ((declaredLength(request) ?? 0) > limit) throw tooLarge(limit);
    const raw = await readRawBody(request, limit);
    if (raw.overLimit) throw tooLarge(limit);
    this.setBody(request, raw.bytes.length === 0 ? undefined : await decodeJsonBody(request, raw.bytes, limit));
  }

  /** An empty body reads as `{}`. */
  private setBody(request: BodyRequest, text: string | undefined): void {
    if (takesJsonText(request)) request.jsonText = text ?? '{}';
    else request.body = text === undefined ? {} : parseJsonText(text);
  }
}
