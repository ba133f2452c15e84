import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/env';

const PEERS = 'b=http://10.0.0.2:3000,c=http://10.0.0.3:3000';
/** Exactly 32 characters, the shortest secret a node takes. */
const SECRET = 's3cret-s3cret-s3cret-s3cret-s3cr';

/** The ConfigError `loadConfig(env)` throws; fails the test when it does not throw one. */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the defaults of API.md to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      nodeId: 'node',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: resolve(process.cwd(), 'data', 'node'),
      publicUrl: 'http://127.0.0.1:3000',
      peers: [],
      syncSecret: undefined,
      apiToken: undefined,
      syncIntervalMs: 30000,
      syncDebounceMs: 500,
      nodePriority: 0,
      conflictWindowMs: 0,
      clockOffsetMs: 0,
      maxFutureMs: 86400000,
      logFormat: 'text',
      limits: {
        dbPoolSize: 10,
        dbAcquireTimeoutMs: 10000,
        dbStatementTimeoutMs: 60000,
        healthTimeoutMs: 2000,
        peerTimeoutMs: 60000,
      },
    });
  });

  it('never reads process.env when given an environment', () => {
    const saved = process.env.NODE_ID;
    process.env.NODE_ID = 'from-process-env';
    try {
      expect(loadConfig({}).nodeId).toBe('node');
    } finally {
      if (saved === undefined) delete process.env.NODE_ID;
      else process.env.NODE_ID = saved;
    }
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', HOST: '', PEERS: '', API_TOKEN: '', SYNC_INTERVAL_MS: '' });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', peers: [], syncIntervalMs: 30000 });
    expect(config.apiToken).toBeUndefined();
  });

  it('derives DATA_DIR from NODE_ID and PUBLIC_URL from HOST and PORT', () => {
    const config = loadConfig({ NODE_ID: 'a_1-z', HOST: '127.0.0.2', PORT: '3001' });
    expect(config.dataDir).toBe(resolve('data', 'a_1-z'));
    expect(config.publicUrl).toBe('http://127.0.0.2:3001');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
  });

  it('takes explicit values, resolving DATA_DIR to an absolute path', () => {
    const config = loadConfig({
      NODE_ID: 'a',
      DATA_DIR: 'tmp/here',
      PUBLIC_URL: 'https://sync.example.com/',
      DATABASE_URL: 'postgres://u:p@db:5432/logsync',
      SYNC_INTERVAL_MS: '0',
      SYNC_DEBOUNCE_MS: '0',
      NODE_PRIORITY: '-7',
      CONFLICT_WINDOW_MS: '5000',
      CLOCK_OFFSET_MS: '-86400000',
      MAX_FUTURE_MS: '60000',
    });
    expect(config).toMatchObject({
      dataDir: resolve('tmp/here'),
      publicUrl: 'https://sync.example.com',
      databaseUrl: 'postgres://u:p@db:5432/logsync',
      syncIntervalMs: 0,
      syncDebounceMs: 0,
      nodePriority: -7,
      conflictWindowMs: 5000,
      clockOffsetMs: -86400000,
      maxFutureMs: 60000,
    });
  });

  it('parses PEERS as id=url pairs', () => {
    const config = loadConfig({ NODE_ID: 'a', PEERS, SYNC_SECRET: SECRET });
    expect(config.peers).toEqual([
      { id: 'b', url: 'http://10.0.0.2:3000', shownUrl: 'http://10.0.0.2:3000' },
      { id: 'c', url: 'http://10.0.0.3:3000', shownUrl: 'http://10.0.0.3:3000' },
    ]);
    expect(config.syncSecret).toBe(SECRET);
  });

  it('keeps credentials inside a PEERS url for requests only, and never echoes them in an error', () => {
    const config = loadConfig({ NODE_ID: 'a', PEERS: 'b=https://sync:hunter2@10.0.0.2:3000', SYNC_SECRET: SECRET });
    expect(config.peers).toEqual([{ id: 'b', url: 'https://sync:hunter2@10.0.0.2:3000', shownUrl: 'https://***@10.0.0.2:3000' }]);
    const inPassword = ['b=http://sync:hun@ter2@10.0.0.2:99999', 'b=http://sync:hun,ter2@10.0.0.2:3000'];
    for (const peers of [
      'b=http://sync:hunter2@10.0.0.2:99999',
      'b=http://sync:hunter2@',
      'http://sync:hunter2@10.0.0.2',
      ...inPassword,
    ]) {
      const { message } = configErrorFor({ NODE_ID: 'a', PEERS: peers, SYNC_SECRET: SECRET });
      expect(message).toMatch(/^PEERS: /);
      expect(message).not.toMatch(/hunter2|hun|ter2/);
    }
    const atInPassword = loadConfig({ NODE_ID: 'a', PEERS: 'b=https://sync:p@ss@10.0.0.2:3000', SYNC_SECRET: SECRET });
    expect(atInPassword.peers[0].shownUrl).toBe('https://***@10.0.0.2:3000');
  });

  it('requires SYNC_SECRET and API_TOKEN of at least 32 characters, naming the variable and not echoing it', () => {
    const short = SECRET.slice(0, 31);
    for (const name of ['SYNC_SECRET', 'API_TOKEN']) {
      const { message } = configErrorFor({ [name]: short });
      expect(message).toMatch(new RegExp(`^${name}: must be at least 32 characters`));
      expect(message).not.toContain(short);
      expect(loadConfig({ [name]: SECRET })).toMatchObject({ [name === 'API_TOKEN' ? 'apiToken' : 'syncSecret']: SECRET });
    }
  });

  it('takes MAX_FUTURE_MS up to the end of year 9999', () => {
    expect(loadConfig({ MAX_FUTURE_MS: '0' }).maxFutureMs).toBe(0);
    expect(loadConfig({ MAX_FUTURE_MS: '253402300799999' }).maxFutureMs).toBe(253402300799999);
    expect(configErrorFor({ MAX_FUTURE_MS: '-1' }).message).toMatch(/^MAX_FUTURE_MS: /);
    expect(configErrorFor({ MAX_FUTURE_MS: 'a day' }).message).toMatch(/^MAX_FUTURE_MS: /);
  });

  it('accepts a node id of 32 characters', () => {
    expect(loadConfig({ NODE_ID: 'a'.repeat(32) }).nodeId).toBe('a'.repeat(32));
  });

  it('listens on a non-loopback address only with API_TOKEN', () => {
    expect(configErrorFor({ HOST: '0.0.0.0' }).message).toMatch(/^HOST: .*API_TOKEN/);
    expect(loadConfig({ HOST: '0.0.0.0', API_TOKEN: SECRET }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
  });

  it('requires SYNC_SECRET when PEERS is set', () => {
    expect(configErrorFor({ NODE_ID: 'a', PEERS }).message).toMatch(/^SYNC_SECRET: .*PEERS/);
  });

  it('does not echo a DATABASE_URL password into its error line', () => {
    for (const url of ['postgres://u:hunter2@db:99999/x', 'mysql://u:hunter2@db/x']) {
      const { message } = configErrorFor({ DATABASE_URL: url });
      expect(message).toMatch(/^DATABASE_URL: /);
      expect(message).not.toMatch(/hunter2|hun|ter2/);
    }
    const atInPassword = loadConfig({ NODE_ID: 'a', PEERS: 'b=https://sync:p@ss@10.0.0.2:3000', SYNC_SECRET: SECRET });
    expect(atInPassword.peers[0].shownUrl).toBe('https://***@10.0.0.2:3000');
  });

  it.each<[string, Record<string, string>]>([
    ['NODE_ID', { NODE_ID: 'Bad!' }],
    ['NODE_ID', { NODE_ID: 'a'.repeat(33) }],
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '3000.5' }],
    ['HOST', { HOST: 'not a host' }],
    ['PEERS', { PEERS: 'b', SYNC_SECRET: SECRET }],
    ['PEERS', { PEERS: 'b=not-a-url', SYNC_SECRET: SECRET }],
    ['PEERS', { PEERS: 'b=ftp://10.0.0.2', SYNC_SECRET: SECRET }],
    ['PEERS', { PEERS: 'Bad=http://10.0.0.2:3000', SYNC_SECRET: SECRET }],
    ['PEERS', { PEERS: 'b=http://10.0.0.2:3000,b=http://10.0.0.3:3000', SYNC_SECRET: SECRET }],
    ['PEERS', { PEERS: 'node=http://10.0.0.2:3000', SYNC_SECRET: SECRET }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'nope' }],
    ['SYNC_INTERVAL_MS', { SYNC_INTERVAL_MS: '-1' }],
    ['SYNC_DEBOUNCE_MS', { SYNC_DEBOUNCE_MS: '-5' }],
    ['SYNC_DEBOUNCE_MS', { SYNC_DEBOUNCE_MS: '0.5' }],
    ['NODE_PRIORITY', { NODE_PRIORITY: '1.5' }],
    ['CONFLICT_WINDOW_MS', { CONFLICT_WINDOW_MS: '-1' }],
    ['CLOCK_OFFSET_MS', { CLOCK_OFFSET_MS: '1e3' }],
  ])('rejects a bad %s with an error naming it: %j', (name, env) => {
    expect(configErrorFor(env).message.startsWith(`${name}: `)).toBe(true);
  });
});
