import type { Logger } from '@nestjs/common';
import type { SyncResult, SyncTrigger } from './sync-result';
import type { SyncMetrics } from './sync.metrics';

/** Counts a finished sync in the metrics and writes its one log line. */
export function reportSync(logger: Logger, metrics: SyncMetrics, result: SyncResult, trigger: SyncTrigger): void {
  const { peer, pulled, pushed, conflicts, rounds, durationMs } = result;
  metrics.syncs.inc({ peer, outcome: result.ok ? 'ok' : (result.errorKind ?? 'error') });
  metrics.pulled.inc({ peer }, pulled);
  metrics.pushed.inc({ peer }, pushed);
  metrics.conflicts.inc({ peer }, conflicts);
  metrics.duration.observe({ peer }, durationMs / 1000);
  // One line per sync, structured: with LOG_FORMAT=json each field is a key of the line's message.
  const line = {
    event: 'sync',
    peer,
    trigger,
    ok: result.ok,
    pulled,
    pushed,
    conflicts,
    rounds,
    durationMs,
    errorKind: result.errorKind ?? null,
  };
  if (result.ok) logger.log(line);
  else logger.warn({ ...line, error: result.error });
}
