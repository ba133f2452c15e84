import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from './domain-error';

export const STATUS: Record<ErrorCode, HttpStatus> = {
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  INVALID_CURSOR: HttpStatus.BAD_REQUEST,
  FOREIGN_CURSOR: HttpStatus.BAD_REQUEST,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  GONE: HttpStatus.GONE,
  ALREADY_EXISTS: HttpStatus.CONFLICT,
  PUSH_CONFLICT: HttpStatus.CONFLICT,
  PRECONDITION_FAILED: HttpStatus.PRECONDITION_FAILED,
  WRONG_STATE: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  TIME_EXHAUSTED: HttpStatus.CONFLICT,
  UNKNOWN_PEER: HttpStatus.NOT_FOUND,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

function errorBody(status: number, message: string, details?: Record<string, unknown>): ErrorBody {
  return { statusCode: status, error: REASON[status] ?? 'Error', message, ...details };
}

/** Nest's own exceptions (validation, unknown route) carry a message that may be a list. */
function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const raw = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
  return errorBody(status, message);
}

/**
 * Errors of the body parser that reach the filter as they are: an oversized
 * body, or another 4xx it flags. (Malformed JSON arrives already mapped to a
 * 400 by Nest, with the parser's message.)
 */
function fromBodyParser(exception: unknown): ErrorBody | undefined {
  const error = exception as { type?: string; status?: number; message?: string; limit?: number };
  if (error?.type === 'entity.too.large') return errorBody(413, `request body is larger than the ${error.limit} byte limit`);
  if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500 && error.type) {
    return errorBody(error.status, error.message ?? 'bad request body');
  }
  return undefined;
}

/** The one place where failures become HTTP answers. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainError) {
      const status = STATUS[exception.code];
      const { body: replaced, details, reason } = exception.options;
      const body = replaced ?? errorBody(status, exception.message, reason === undefined ? details : { ...details, reason });
      response.status(status).json(body);
      return;
    }
    const body = exception instanceof HttpException ? fromHttpException(exception) : fromBodyParser(exception);
    if (body) {
      response.status(body.statusCode).json(body);
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(500).json(errorBody(500, 'internal error; the request was not applied'));
  }
}
