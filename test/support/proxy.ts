import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { request as forward } from 'node:http';
import { freePort } from './ports';

/** One request as the proxy saw it: method and path with query string; its body's size once read. */
export interface SeenRequest {
  method: string;
  path: string;
  bytes?: number;
}

/**
 * What the proxy does with a request: `forward` it (after `before` ran, when
 * given: a write injected while the request waits), answer it with a 503 of
 * its own, or cut the connection without an answer.
 */
export type ProxyAction = { kind: 'forward'; before?: () => Promise<void> } | { kind: 'fail' } | { kind: 'cut' };

export type ProxyRule = (request: SeenRequest, history: readonly SeenRequest[]) => ProxyAction;

const FORWARD: ProxyAction = { kind: 'forward' };

/**
 * An HTTP proxy in front of one real node, for fault injection between two
 * real nodes: every request is forwarded byte for byte unless the rule says
 * otherwise. Signed requests stay valid: the path, headers and body are kept.
 */
export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  private rule: ProxyRule = () => FORWARD;
  private server?: Server;
  port = 0;

  constructor(private readonly target: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Reserves the proxy's port before the node in front of which it stands is configured. */
  async reservePort(): Promise<number> {
    this.port = await freePort();
    return this.port;
  }

  async start(): Promise<void> {
    if (!this.port) await this.reservePort();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** Replaces the rule; the history of requests seen so far is kept. */
  use(rule: ProxyRule): void {
    this.rule = rule;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/' };
    const action = this.rule(seen, this.seen);
    this.seen.push(seen);
    const body = await readAll(req);
    seen.bytes = body.length;
    if (action.kind === 'cut') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'fail') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'injected by the test proxy' }));
      return;
    }
    try {
      await action.before?.();
      const answer = await send(this.target, req, body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: (error as Error).message }));
    }
  }
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(target: string, req: IncomingMessage, body: Buffer) {
  const url = new URL(req.url ?? '/', target);
  const headers = { ...req.headers, host: url.host };
  return new Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }>((resolve, reject) => {
    const out = forward(url, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const kept = Object.entries(answer.headers).filter(
          ([name, value]) => value !== undefined && name !== 'transfer-encoding',
        );
        resolve({
          status: answer.statusCode ?? 502,
          headers: Object.fromEntries(kept) as Record<string, string | string[]>,
          body: Buffer.concat(chunks),
        });
      });
      answer.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}
