import { Injectable, PipeTransform, Type, ValidationPipe, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { routeOf } from './body-limits';
import { VALIDATION_OPTIONS } from './validation-options';

type Holder = Record<string, unknown>;

function isObject(value: unknown): value is Holder {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stands in for user data while the envelope is validated; any object passes `data`'s own checks there. */
const PLACEHOLDER = Object.freeze({});

/**
 * Validates a body's envelope as a DTO while its user data bypasses
 * class-transformer entirely: the transformer copies objects recursively
 * (no depth limit) and drops keys such as `__proto__`. Each `data` object is
 * swapped for a placeholder, the envelope validated, and the very object
 * JSON.parse built put back, to be checked by our own code (data-check).
 */
@Injectable()
class DataBodyPipe implements PipeTransform {
  private readonly validation = new ValidationPipe(VALIDATION_OPTIONS);

  constructor(private readonly type: Type<unknown>) {}

  async transform(body: unknown): Promise<unknown> {
    if (!isObject(body)) return this.validation.transform(body, { type: 'body', metatype: this.type });
    const data = body.data;
    if (isObject(data) || Array.isArray(data)) body.data = PLACEHOLDER;
    const envelope: unknown = await this.validation.transform(body, { type: 'body', metatype: this.type });
    if (isObject(envelope) && data !== undefined) envelope.data = data;
    return envelope;
  }
}

/** The global ValidationPipe skips custom decorators, so only DataBodyPipe sees this body. */
const RequestBody = createParamDecorator((_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest().body);

/**
 * The parsed JSON body, untouched by the global validation pipe, for a body
 * that its route checks with its own code (a push): the pipe deletes keys
 * such as `__proto__` and `constructor` at any depth.
 */
export const RawJsonBody = (): ParameterDecorator => RequestBody();

/** `@Body()` for a DTO whose `data` is user data, kept byte for byte. */
export function BodyWithData(type: Type<unknown>): ParameterDecorator {
  return RequestBody(undefined, new DataBodyPipe(type));
}

/**
 * Routes that parse their own body from its text (`JsonText()`), so that what
 * they keep of it can be read from the text rather than from what JSON.parse
 * builds: the bulk write of up to 16 MiB.
 */
const TEXT_BODY_ROUTES = new Set(['POST /items/bulk']);

export type RequestWithJsonText = Request & { jsonText?: string };

export function takesJsonText(request: Request): boolean {
  const route = routeOf(request);
  return route !== undefined && TEXT_BODY_ROUTES.has(route);
}

/**
 * The body as JSON text, read and decoded like any body (route limit,
 * Content-Type, Content-Encoding, UTF-8; an empty body is `{}`) but not yet
 * parsed: the route parses it with `parseJsonText`. Its route must be listed
 * in TEXT_BODY_ROUTES.
 */
export const JsonText = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<RequestWithJsonText>().jsonText,
);
