/** Serves the simulator over real HTTP: the API under `/v1/`, hosted pages under `/verify/`, control under `/_simulator/`. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimulatorRouter } from './router.js';

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerMap(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A started server and how to stop it (dropping open keep-alive connections). */
export interface RunningServer {
  port: number;
  close: () => Promise<void>;
}

/** Starts the server on `host`:`port` (0 = ephemeral). */
export async function startHttpServer(
  router: SimulatorRouter,
  port: number,
  host: string,
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req);
      const outcome = await router.handle(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search.slice(1),
          headers: headerMap(req),
          body,
        },
        'local',
      );
      if (outcome.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      send(res, outcome.status, outcome.headers, outcome.body);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'simulator error\n');
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
