import { isLoopbackHost } from '../../src/auth/loopback-host';
import { redactUrl } from '../../src/config/redact';

describe('isLoopbackHost', () => {
  it('takes localhost, 127.0.0.0/8 and ::1, with or without a port', () => {
    for (const host of [
      'localhost',
      'LOCALHOST:3000',
      'app.localhost',
      '127.0.0.1',
      '127.1.2.3:80',
      '[::1]',
      '[::1]:3000',
      'localhost.',
    ]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
  });

  it('refuses every other name or address, and a missing Host', () => {
    const others = [
      undefined,
      '',
      'evil.example',
      'localhost.evil.example',
      '10.0.0.1',
      '0.0.0.0',
      '[fe80::1]',
      '128.0.0.1',
      '127.0.0.1.nip.io',
    ];
    for (const host of others) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe('redactUrl', () => {
  it('replaces the credentials of any URL in a text, and leaves the rest', () => {
    expect(redactUrl('https://user:pa%40ss@host:1/p?q=a@b')).toBe('https://***@host:1/p?q=a@b');
    expect(redactUrl('b at http://u:p@10.0.0.2:3000 unreachable')).toBe('b at http://***@10.0.0.2:3000 unreachable');
    expect(redactUrl('http://10.0.0.2:3000/x@y')).toBe('http://10.0.0.2:3000/x@y');
    expect(redactUrl('b at http://proxy:p@ssw0rd@10.0.0.2:3000 unreachable')).toBe('b at http://***@10.0.0.2:3000 unreachable');
  });
});
