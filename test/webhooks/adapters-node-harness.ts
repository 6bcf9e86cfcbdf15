/** Shared harness of the Node adapter tests: a real node:http server on 127.0.0.1 and a raw client. */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { toNodeHandler } from '../../src/webhooks/node-adapter.js';
import type { WebhookAnswer, WebhookHandler, WebhookInput } from '../../src/webhooks/types.js';

export const LIMIT = 1024;
export const SECRET = 'whsec_adapter_test';

/** A stub core handler that records what it was given. */
export function recordingHandler(answer: WebhookAnswer = { status: 200, body: { received: true } }) {
  const calls: WebhookInput[] = [];
  const handle: WebhookHandler = async (input) => {
    calls.push(input);
    return answer;
  };
  return { calls, handle };
}

export interface Served {
  port: number;
  /** Resolves each time the adapter's promise settles, in order. */
  nextDone(): Promise<void>;
}

/** The raw body the stub handler received on its `index`-th call, as bytes. */
export function bytesOf(calls: readonly WebhookInput[], index = 0): Uint8Array {
  const raw = calls[index]?.rawBody;
  if (raw === undefined) throw new Error(`the handler was not called ${index + 1} time(s)`);
  return typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
}

export const textOf = (calls: readonly WebhookInput[], index = 0): string =>
  new TextDecoder().decode(bytesOf(calls, index));

const servers: Server[] = [];
/** Every server a test started is closed after it, so tests stay independent. */
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(async (server) => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }),
  );
});

/** Serves `toNodeHandler(handle)` on 127.0.0.1, with optional middleware run first (as a framework would). */
export async function serve(
  handle: WebhookHandler,
  middleware?: (req: IncomingMessage & { body?: unknown }) => Promise<void>,
): Promise<Served> {
  const adapter = toNodeHandler(handle, { maxBodyBytes: LIMIT });
  const settled: Array<() => void> = [];
  const pending: Promise<void>[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (middleware) await middleware(req);
    await adapter(req, res);
    const resolve = settled.shift();
    if (resolve) resolve();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    nextDone() {
      const done = new Promise<void>((resolve) => settled.push(resolve));
      pending.push(done);
      return done;
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

/** Sends a request over a real socket; `chunked` omits Content-Length. */
export function send(
  port: number,
  body: Uint8Array | string | null,
  opts: { method?: string; headers?: Record<string, string>; chunked?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'POST', path: '/webhook', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    // After a 413 the server closes while we may still be writing; by then the answer has already been read,
    // so the late write error rejects a settled promise and changes nothing.
    req.on('error', reject);
    if (body === null) {
      req.end();
    } else if (opts.chunked) {
      req.setHeader('transfer-encoding', 'chunked');
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
      for (let offset = 0; offset < bytes.length; offset += 256)
        req.write(bytes.subarray(offset, offset + 256));
      req.end();
    } else {
      req.end(body);
    }
  });
}

export const signedHeader = (body: Uint8Array, timestamp: number): string =>
  `t=${timestamp},v1=${createHmac('sha256', SECRET)
    .update(Buffer.concat([Buffer.from(`${timestamp}.`), body]))
    .digest('hex')}`;
