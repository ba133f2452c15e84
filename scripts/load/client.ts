import { Agent, request } from 'undici';
import type { ClusterNode } from './cluster';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from a node, read field by field
  etag?: string;
}

/** HTTP calls to the cluster with the bearer token; counts every 5xx answer it sees. */
export class LoadClient {
  serverErrors = 0;
  private readonly agent = new Agent({ connections: 64 });

  constructor(private readonly token: string) {}

  async call(
    node: ClusterNode,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    ifMatch?: string,
  ): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch) headers['if-match'] = `"${ifMatch}"`;
    const response = await request(`${node.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
    const text = await response.body.text();
    if (response.statusCode >= 500) this.serverErrors++;
    const etag = response.headers.etag;
    return {
      status: response.statusCode,
      body: text === '' ? undefined : JSON.parse(text),
      etag: typeof etag === 'string' ? etag.replace(/"/g, '') : undefined,
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
