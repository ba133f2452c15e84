import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/env';

async function main(): Promise<void> {
  const config = loadConfig();
  // Nest's start-up logs are held until the node listens: a node that cannot start prints one line, below.
  const app = await createApp(config, { bufferLogs: true });
  await app.listen(config.port, config.host);
  app.flushLogs();
  new Logger('logsync').log(`node "${config.nodeId}" listening on ${config.publicUrl} with ${config.peers.length} peer(s)`);
}

main().catch((error: unknown) => {
  const reason = error instanceof ConfigError ? `invalid configuration: ${error.message}` : `cannot start: ${(error as Error)?.message ?? error}`;
  process.stderr.write(`logsync: ${reason.split('\n')[0]}\n`);
  process.exit(1);
});
