import { createHash, createHmac } from 'node:crypto';
import { SignedRequest, sha256Hex, signRequest, signatureMatches, signedHeaders } from '../../src/auth/signature';

const SECRET = 'test-secret-123-padded-to-32-characters';
const BODY = '{"node":"b","entries":[]}';
const PUSH: SignedRequest = {
  method: 'PUT',
  path: '/items/transactions?limit=5',
  timestamp: '1763700000000',
  sender: 'b',
  receiver: 'a',
  body: BODY,
};
/** Computed outside node with openssl, over the six lines of API.md:
 *  printf 'PUT\n/items/transactions?limit=5\n1763700000000\nb\na\n%s' "$(printf '%s' "$BODY" | sha256sum | cut -d' ' -f1)" \
 *    | openssl dgst -sha256 -hmac "$SECRET" */
const PUSH_SIGNATURE = 'c34f7d7d073eac8d40ac5ac771954545eddaacf9d6cee942d3de0833f4e58bac';
const SHA256_OF_NOTHING = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function hmacOverLines(secret: string, lines: string[]): string {
  return createHmac('sha256', secret).update(lines.join('\n')).digest('hex');
}

describe('signRequest', () => {
  it('is the lowercase hex HMAC-SHA256 of METHOD, path with query, timestamp, sender, receiver and body hash, joined by \\n', () => {
    expect(signRequest(SECRET, PUSH)).toBe(PUSH_SIGNATURE);
    const bodyHash = createHash('sha256').update(BODY).digest('hex');
    expect(signRequest(SECRET, PUSH)).toBe(
      hmacOverLines(SECRET, ['PUT', '/items/transactions?limit=5', '1763700000000', 'b', 'a', bodyHash]),
    );
    expect(signRequest(SECRET, { ...PUSH, body: { sha256: bodyHash } })).toBe(PUSH_SIGNATURE);
  });

  it('hashes the exact body bytes, whether given as a string or a Buffer', () => {
    expect(signRequest(SECRET, { ...PUSH, body: Buffer.from(BODY, 'utf8') })).toBe(PUSH_SIGNATURE);
    expect(signRequest(SECRET, { ...PUSH, body: `${BODY} ` })).not.toBe(PUSH_SIGNATURE);
    expect(signRequest(SECRET, { ...PUSH, body: '{"node":"b", "entries":[]}' })).not.toBe(PUSH_SIGNATURE);
  });

  it('hashes the empty string for an empty body', () => {
    expect(sha256Hex('')).toBe(SHA256_OF_NOTHING);
    expect(sha256Hex(Buffer.alloc(0))).toBe(SHA256_OF_NOTHING);
    const get = { method: 'GET', path: '/items/transactions', timestamp: '1763700000000', sender: 'b', receiver: 'a', body: '' };
    const expected = 'afcb4c7bdee7e132cf5a1d91a694031d01a4cecb4520b60afa5cdb42553df4ec'; // openssl, as above
    expect(signRequest(SECRET, get)).toBe(expected);
    expect(signRequest(SECRET, { ...get, body: Buffer.alloc(0) })).toBe(expected);
  });

  it('changes with every signed part and with the secret', () => {
    const variants: SignedRequest[] = [
      { ...PUSH, method: 'GET' },
      { ...PUSH, path: '/items/transactions' },
      { ...PUSH, path: '/items/transactions?limit=6' },
      { ...PUSH, timestamp: '1763700000001' },
      { ...PUSH, body: '{}' },
      { ...PUSH, sender: 'c' },
      { ...PUSH, receiver: 'c' },
      { ...PUSH, sender: 'a', receiver: 'b' },
    ];
    for (const variant of variants) expect(signRequest(SECRET, variant)).not.toBe(PUSH_SIGNATURE);
    expect(signRequest('another-secret', PUSH)).not.toBe(PUSH_SIGNATURE);
  });
});

describe('signatureMatches', () => {
  it('accepts the signature of exactly that request', () => {
    expect(signatureMatches(SECRET, PUSH, PUSH_SIGNATURE)).toBe(true);
  });

  it('refuses a signature of another request, or made with another secret', () => {
    expect(signatureMatches(SECRET, { ...PUSH, body: '{}' }, PUSH_SIGNATURE)).toBe(false);
    expect(signatureMatches(SECRET, PUSH, signRequest('another-secret', PUSH))).toBe(false);
    const lastDigitChanged = PUSH_SIGNATURE.slice(0, -1) + (PUSH_SIGNATURE.endsWith('c') ? 'd' : 'c');
    expect(signatureMatches(SECRET, PUSH, lastDigitChanged)).toBe(false);
  });

  it('refuses uppercase, short, long and garbage signatures without throwing', () => {
    const malformed = [
      PUSH_SIGNATURE.toUpperCase(),
      PUSH_SIGNATURE.slice(0, 63),
      PUSH_SIGNATURE.slice(0, 32),
      `${PUSH_SIGNATURE}00`,
      `${PUSH_SIGNATURE}\n`,
      ` ${PUSH_SIGNATURE}`,
      'z'.repeat(64),
      'é'.repeat(64),
      '',
    ];
    for (const signature of malformed) {
      expect(() => signatureMatches(SECRET, PUSH, signature)).not.toThrow();
      expect(signatureMatches(SECRET, PUSH, signature)).toBe(false);
    }
  });
});

describe('signedHeaders', () => {
  it('carries the node id, the timestamp as unix milliseconds, and the signature over that timestamp', () => {
    const headers = signedHeaders(
      SECRET,
      { method: 'PUT', path: PUSH.path, body: BODY, sender: 'b', receiver: 'a' },
      1763700000000,
    );
    expect(headers).toEqual({
      'X-Sync-Node': 'b',
      'X-Sync-Timestamp': '1763700000000',
      'X-Sync-Signature': PUSH_SIGNATURE,
    });
  });
});
