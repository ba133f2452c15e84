import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy in front of the test PostgreSQL server, so one node can lose
 * its database while the shared server (other tests use it) keeps running.
 * `freeze()` stops moving bytes, as a network partition does (connections
 * stay open and silent); `cut()` drops every connection and refuses new
 * ones, as a stopped server does; `restore()` ends either.
 */
export interface PgProxy {
  port: number;
  freeze(): void;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startPgProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<PgProxy> {
  const sockets = new Set<Socket>();
  let state: 'open' | 'frozen' | 'cut' = 'open';
  let held: Socket[] = [];
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const link = (client: Socket) => {
    const upstream = connect(target);
    track(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (state === 'cut') client.destroy();
    else if (state === 'frozen') held.push(client);
    else link(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    state = 'cut';
    held = [];
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      state = 'frozen';
      for (const socket of sockets) socket.pause();
    },
    cut,
    restore() {
      state = 'open';
      for (const socket of sockets) socket.resume();
      held.splice(0).forEach(link);
    },
    close: () =>
      new Promise((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
