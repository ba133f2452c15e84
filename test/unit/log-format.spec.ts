import { ConfigError, loadConfig, readLogFormat } from '../../src/config/env';
import { TextLogger, logLine } from '../../src/common/logging';

describe('LOG_FORMAT', () => {
  it('is text by default, json on request, and anything else fails the start naming the variable', () => {
    expect(loadConfig({}).logFormat).toBe('text');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(new ConfigError('LOG_FORMAT: must be text or json, got "xml"'));
  });

  it('is read without failing for the one line a node that cannot start prints', () => {
    expect(readLogFormat({ LOG_FORMAT: 'json', PORT: 'nope' })).toBe('json');
    expect(JSON.parse(logLine('json', 'error', 'logsync', 'cannot start: x'))).toMatchObject({
      level: 'error',
      context: 'logsync',
      message: 'cannot start: x',
    });
    expect(logLine('text', 'error', 'logsync', 'cannot start: x')).toBe('logsync: cannot start: x\n');
  });

  it('prints a structured message as one key=value line in text', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      new TextLogger('Sync', { colors: false }).log({ event: 'sync', peer: 'b', ok: true, errorKind: null });
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/\[Sync\] event=sync peer=b ok=true errorKind=null\n$/);
  });
});
