import { ConsoleLogger, LogLevel } from '@nestjs/common';
import type { LogFormat } from '../config/env';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Text logs print a structured message (a sync round) as one `key=value …` line instead of a multi-line dump. */
export class TextLogger extends ConsoleLogger {
  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    if (!isPlainObject(message)) return super.stringifyMessage(message, logLevel);
    const pairs = Object.entries(message).map(
      ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    );
    return this.colorize(pairs.join(' '), logLevel);
  }
}

/** The node's logger: `LOG_FORMAT=json` writes one JSON object per line, structured messages as objects. */
export function createLogger(format: LogFormat): ConsoleLogger {
  return format === 'json' ? new ConsoleLogger({ json: true }) : new TextLogger();
}

/** A line written outside Nest's logger (a node that cannot start), in the same format. */
export function logLine(format: LogFormat, level: 'error' | 'log', context: string, message: string): string {
  if (format === 'text') return `${context}: ${message}\n`;
  return `${JSON.stringify({ level, pid: process.pid, timestamp: Date.now(), message, context })}\n`;
}
