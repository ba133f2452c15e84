import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/env';

/** This node's wall clock in milliseconds, shifted by `CLOCK_OFFSET_MS`. */
@Injectable()
export class Clock {
  constructor(private readonly config: AppConfig) {}

  now(): number {
    return Date.now() + this.config.clockOffsetMs;
  }
}
