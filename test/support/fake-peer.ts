import { IncomingMessage, ServerResponse, createServer as createHttpServer } from 'node:http';
import { AddressInfo, Server, Socket, createServer as createTcpServer } from 'node:net';

/** A misbehaving peer on a loopback port; `close()` ends it and every connection it holds. */
export interface FakePeer {
  url: string;
  /** Connections it accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<FakePeer> {
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts TCP connections and never sends a byte. */
export function silentPeer(): Promise<FakePeer> {
  return listen(createTcpServer(), new Set());
}

/** An HTTP peer answering every request with `handle`. */
export function httpPeer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakePeer> {
  return listen(createHttpServer(handle), new Set());
}
