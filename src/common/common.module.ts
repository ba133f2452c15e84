import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { LogEvents } from './log-events';

/** The shared vocabulary every feature may inject: the node's clock, and the news that its log changed. */
@Global()
@Module({
  providers: [Clock, LogEvents],
  exports: [Clock, LogEvents],
})
export class CommonModule {}
