import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerificationRoutes } from '../../../src/http/routes.js';
import { toNodeListener } from '../../../src/node.js';
import type { VerificationService } from '../../../src/service.js';

/** A bearer token is the user id: enough authentication to test what one user can reach. */
const bearerAuth = {
  async authenticate(incoming: Request) {
    const token = incoming.headers.get('authorization')?.replace(/^Bearer /, '');
    return token ? { id: token } : null;
  },
};

/** Each instance served over node:http on 127.0.0.1: `/identity/*` routes and `/webhooks`. */
export async function serveInstances(instances: VerificationService[]) {
  const servers: Server[] = [];
  const bases: string[] = [];
  for (const service of instances) {
    const routes = toNodeListener(createVerificationRoutes(service, bearerAuth).fetch);
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/webhooks')) void service.webhooks.node(req, res);
      else void routes(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    bases,
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP exchange; the body is read to its end. */
export function exchange(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
