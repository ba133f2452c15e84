import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/env';

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * 200 when the database answers within `healthTimeoutMs`, 503 otherwise:
   * a probe must get its answer even while the pool is exhausted or the
   * database silent (the query itself ends on the pool's own timeouts).
   */
  async check(): Promise<{ status: 'ok'; node: string }> {
    const timeoutMs = this.config.limits.healthTimeoutMs;
    const timer = new AbortController();
    const answered = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const timedOut = sleep(timeoutMs, false, { signal: timer.signal }).catch(() => false);
    const ok = await Promise.race([answered, timedOut]);
    timer.abort();
    if (!ok) throw new DomainError('UNAVAILABLE', 'the database does not answer');
    return { status: 'ok', node: this.config.nodeId };
  }
}
