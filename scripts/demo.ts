import 'reflect-metadata';
import { createApp } from '../src/bootstrap';
import { ConfigError, loadConfig } from '../src/config/env';

/**
 * `npm run demo`: one node on the embedded PostgreSQL (no server to install),
 * with a few lines on how to use it. Any variable of API.md still applies.
 */
async function demo(): Promise<void> {
  const env: Record<string, string | undefined> = { NODE_ID: 'demo', SYNC_INTERVAL_MS: '0', ...process.env };
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const app = await createApp(config, { bufferLogs: true, logger: ['warn', 'error'] });
  await app.listen(config.port, config.host);
  app.flushLogs();
  const url = config.publicUrl;
  const auth = config.apiToken ? ` -H 'Authorization: Bearer ${'$'}API_TOKEN'` : '';
  process.stdout.write(`
logsync node "${config.nodeId}" is running at ${url}
  data: ${config.dataDir} (embedded PostgreSQL, for trying logsync out)

Try it:
  curl -s -X POST ${url}/items -H 'Content-Type: application/json'${auth} -d '{"data":{"hello":"world"}}'
  curl -s ${url}/items${auth}
  curl -s '${url}/items/transactions?include=data'${auth}
  curl -s ${url}/health

Stop with Ctrl-C. Data stays in ${config.dataDir} for the next run.
`);
}

demo().catch((error: unknown) => {
  const reason = error instanceof ConfigError ? `invalid configuration: ${error.message}` : String((error as Error)?.message ?? error);
  process.stderr.write(`logsync demo: ${reason.split('\n')[0]}\n`);
  process.exit(1);
});
