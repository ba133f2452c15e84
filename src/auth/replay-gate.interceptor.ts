import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, catchError, concatMap, from } from 'rxjs';

/** A signed request whose replay record is still being written (see `SignedRead`). */
export interface WithReplayCheck {
  replayChecked?: Promise<void>;
}

/**
 * Holds a signed read's answer until its signature is recorded, durably, as
 * used: the answer, or the read's own error, goes out only once the record is
 * written, and a replay gets its 401 whatever the read came to.
 */
@Injectable()
export class ReplayGate implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const checked = context.switchToHttp().getRequest<WithReplayCheck>().replayChecked;
    if (!checked) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => from(checked.then(() => Promise.reject(error)))),
      concatMap((answer) => from(checked.then(() => answer))),
    );
  }
}
