/** Real node:http servers on 127.0.0.1 for the route tests, closed after each test. */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { Logger } from '../../src/types.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(async (server) => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }),
  );
});

/** Listen on 127.0.0.1 with any Node listener (an Express app, a node:http callback); answers the base URL. */
export async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  path = '',
): Promise<string> {
  const server = createServer((req, res) => void listener(req, res));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

/** Track a server a framework created itself, so that it is closed after the test too. */
export function track(server: Server): void {
  servers.push(server);
}

/** A logger that keeps every line, to check what reached it. */
export function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, logger };
}

/** Users authenticate with a bearer token equal to their id (test only). */
export const bearerAuth = {
  async authenticate(request: Request) {
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
    return token ? { id: token } : null;
  },
};
