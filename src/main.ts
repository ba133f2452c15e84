import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { createLogger, logLine } from './common/logging';
import { ConfigError, loadConfig, readLogFormat } from './config/env';

async function main(): Promise<void> {
  const config = loadConfig();
  // Nest's start-up logs are held until the node listens: a node that cannot start prints one line, below.
  const app = await createApp(config, { bufferLogs: true, logger: createLogger(config.logFormat) });
  await app.listen(config.port, config.host);
  app.flushLogs();
  new Logger('logsync').log(`node "${config.nodeId}" listening on ${config.publicUrl} with ${config.peers.length} peer(s)`);
}

main().catch((error: unknown) => {
  const reason =
    error instanceof ConfigError
      ? `invalid configuration: ${error.message}`
      : `cannot start: ${(error as Error)?.message ?? error}`;
  process.stderr.write(logLine(readLogFormat(), 'error', 'logsync', reason.split('\n')[0]));
  process.exit(1);
});
