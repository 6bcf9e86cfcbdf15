import { connect, createServer, type Server, type Socket } from 'node:net';

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });

const shut = (server: Server, sockets: Set<Socket>): Promise<void> =>
  new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });

/** A port on 127.0.0.1 where nothing listens (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, 0);
  await shut(server, new Set());
  return port;
}

/** A TCP endpoint that can be switched on and off: a real server "going down" and "coming back". */
export interface Switchable {
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Forwards 127.0.0.1:port to `target` while started; refuses connections while stopped. */
export async function tcpProxy(target: { host: string; port: number }): Promise<Switchable> {
  const port = await closedPort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return {
    port,
    async start() {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
      });
      await listen(server, port);
    },
    async stop() {
      if (server) await shut(server, sockets);
      server = null;
    },
  };
}

/** A server that accepts connections and never answers: a hung database. */
export async function stalledServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  const port = await listen(server, 0);
  return { port, close: () => shut(server, sockets) };
}
