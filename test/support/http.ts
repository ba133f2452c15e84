import type { Response } from 'supertest';

/** `Authorization` header for a node started with `API_TOKEN`. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/**
 * Asserts the error shape of API.md: JSON `{statusCode, error, message}` with
 * the expected status and a message naming the problem. Status and body are
 * compared together so a failure shows what the node actually answered.
 */
export function expectError(res: Response, status: number, message: RegExp): void {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { statusCode: status, error: expect.any(String), message: expect.stringMatching(message) },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error.length).toBeGreaterThan(0);
}

/** Retries `check` until it stops throwing: the log serves an entry only once every older transaction ended. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
