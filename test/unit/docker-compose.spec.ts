import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/env';

/**
 * docker-compose.yml cannot run here (no Docker engine), so it is checked as
 * data: each node service's environment, with .env.example filled with sample
 * values of the right shape, is one the node accepts, naming only variables
 * the node knows.
 */
const ROOT = join(__dirname, '..', '..');

/** The variables of API.md. */
const NODE_VARIABLES = [
  'NODE_ID',
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATA_DIR',
  'PUBLIC_URL',
  'PEERS',
  'SYNC_SECRET',
  'API_TOKEN',
  'SYNC_INTERVAL_MS',
  'NODE_PRIORITY',
  'CONFLICT_WINDOW_MS',
  'CLOCK_OFFSET_MS',
  'SYNC_DEBOUNCE_MS',
  'MAX_FUTURE_MS',
  'LOG_FORMAT',
];
/** In .env for compose to build each DATABASE_URL; a node ignores it. */
const COMPOSE_ONLY = ['POSTGRES_PASSWORD'];

interface Service {
  environment?: Record<string, string>;
  env_file?: { path: string }[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

function envExample(): Record<string, string> {
  const names = readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split('=')[0]);
  return Object.fromEntries(names.map((name) => [name, randomBytes(32).toString('hex')]));
}

const sample = envExample();
const substitute = (value: string) => value.replace(/\$\{(\w+)(?::?[-?][^}]*)?\}/g, (_, name: string) => sample[name] ?? '');
const compose = parse(substitute(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')), { merge: true }) as {
  services: Record<string, Service>;
};
const nodes = Object.entries(compose.services).filter(([name]) => name.startsWith('node-'));
const initSql = readFileSync(join(ROOT, 'docker', 'initdb', '01-databases.sql'), 'utf8');

describe('docker-compose.yml', () => {
  it('holds PostgreSQL and three nodes', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['node-a', 'node-b', 'node-c', 'postgres']);
  });

  it('takes its secrets from .env, whose example names only node variables and the database password, with no value', () => {
    expect(Object.keys(sample).sort()).toEqual(['API_TOKEN', 'POSTGRES_PASSWORD', 'SYNC_SECRET']);
    expect(readFileSync(join(ROOT, '.env.example'), 'utf8')).not.toMatch(/^[A-Z_]+=.+$/m);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    for (const [, service] of nodes) expect(service.env_file?.map((file) => file.path)).toEqual(['.env']);
  });

  it.each(nodes)('%s: an environment the node accepts, naming only variables it knows', (_, service) => {
    const env = { ...sample, ...service.environment };
    for (const name of Object.keys(service.environment ?? {})) expect(NODE_VARIABLES).toContain(name);
    for (const name of Object.keys(sample)) expect([...NODE_VARIABLES, ...COMPOSE_ONLY]).toContain(name);
    const config = loadConfig(env);
    const others = nodes.map(([name]) => name).filter((name) => name !== `node-${config.nodeId}`);
    expect(config.peers).toEqual(
      others.map((name) => ({ id: name.slice('node-'.length), url: `http://${name}:3000`, shownUrl: `http://${name}:3000` })),
    );
    expect(config.databaseUrl).toContain(`:${sample.POSTGRES_PASSWORD}@postgres:5432/`);
    expect(initSql).toContain(`CREATE DATABASE ${new URL(config.databaseUrl!).pathname.slice(1)};`);
  });

  it.each(nodes)('%s: checked healthy through GET /health, started once PostgreSQL is healthy', (_, service) => {
    expect(service.healthcheck?.test.join(' ')).toContain('/health');
    expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('checks PostgreSQL with pg_isready and publishes no port of it', () => {
    const postgres = compose.services.postgres;
    expect(postgres.healthcheck?.test).toContain('pg_isready');
    expect(postgres.ports).toBeUndefined();
  });
});
