import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** The shared vocabulary every feature may inject: the node's clock. */
@Global()
@Module({
  providers: [Clock],
  exports: [Clock],
})
export class CommonModule {}
