import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { toFetchHandler } from '../../src/webhooks/fetch-adapter.js';
import { toNodeHandler } from '../../src/webhooks/node-adapter.js';
import { harness } from '../support/harness.js';

/*
 * A webhook body that trickles in (or never ends) must not hold a handler: past webhooks.bodyTimeoutSeconds
 * both adapters answer 408 and release the request. Short limits keep these tests fast.
 */

const servers: Server[] = [];
const timers: ReturnType<typeof setInterval>[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  await Promise.all(
    servers.splice(0).map(async (server) => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }),
  );
});

async function serveNode(listener: Parameters<typeof createServer>[1] & object): Promise<number> {
  const server = createServer((req, res) => void listener(req, res));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/**
 * A raw client that announces a chunked body and sends one byte every 300 ms, forever. Resolves with the
 * response's head once it arrives and whether the server then closed the connection.
 */
function trickle(port: number): Promise<{ head: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const closed = once(socket, 'close').then(() => undefined);
    let received = '';
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(
        'POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Stripe-Signature: t=1,v1=00\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      timers.push(
        setInterval(() => {
          if (!socket.destroyed && socket.writable) socket.write('1\r\n{\r\n');
        }, 300),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes('\r\n\r\n')) resolve({ head: received, closed });
    });
    socket.on('close', () => reject(new Error(`closed before an answer: ${received}`)));
  });
}

describe('webhooks.node: a trickling body is answered 408 and the connection released', () => {
  test('the timeout comes from the service option webhooks.bodyTimeoutSeconds', async () => {
    const h = await harness({ service: { webhooks: { bodyTimeoutSeconds: 0.5 } } });
    const port = await serveNode(h.service.webhooks.node);
    const started = performance.now();
    const { head, closed } = await trickle(port);
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head.toLowerCase()).toContain('connection: close');
    expect(head).toContain('body_timeout');
    await closed; // the server dropped the socket instead of reading on
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('a body that arrives in time is handled as before', async () => {
    const calls: string[] = [];
    const handle = toNodeHandler(
      async (input) => {
        calls.push(new TextDecoder().decode(input.rawBody as Uint8Array));
        return { status: 200, body: { received: true } };
      },
      { maxBodyBytes: 1024, bodyTimeoutSeconds: 0.5 },
    );
    const port = await serveNode(handle);
    const answer = await fetch(`http://127.0.0.1:${port}/webhooks/stripe`, {
      method: 'POST',
      body: '{"ok":1}',
    });
    expect(answer.status).toBe(200);
    expect(calls).toEqual(['{"ok":1}']);
  });
});

describe('webhooks.fetch: an endless or trickling stream is cancelled and answered 408', () => {
  test('a stream that never ends', async () => {
    const h = await harness({ service: { webhooks: { bodyTimeoutSeconds: 0.5 } } });
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => {}), // never enqueues, never closes
      cancel: () => {
        cancelled = true;
      },
    });
    const answer = await h.service.webhooks.fetch(
      new Request('http://127.0.0.1/webhooks/stripe', {
        method: 'POST',
        headers: { 'stripe-signature': 't=1,v1=00' },
        body: endless,
        duplex: 'half',
      } as RequestInit),
    );
    expect(answer.status).toBe(408);
    expect(await answer.json()).toMatchObject({ error: 'body_timeout' });
    expect(cancelled).toBe(true);
  });

  test('a stream that trickles one byte every 300 ms', async () => {
    let cancelled = false;
    let reached = 0;
    const handler = toFetchHandler(
      async () => {
        reached += 1;
        return { status: 200, body: {} };
      },
      { maxBodyBytes: 1024, bodyTimeoutSeconds: 0.5 },
    );
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        controller.enqueue(new Uint8Array([0x7b]));
      },
      cancel: () => {
        cancelled = true;
      },
    });
    const answer = await handler(
      new Request('http://127.0.0.1/webhooks/stripe', {
        method: 'POST',
        body: slow,
        duplex: 'half',
      } as RequestInit),
    );
    expect(answer.status).toBe(408);
    expect(cancelled).toBe(true);
    expect(reached).toBe(0);
  });

  test('the adapters refuse a timeout that is not a positive number of seconds up to 300', () => {
    const handle = async () => ({ status: 200, body: {} });
    for (const bodyTimeoutSeconds of [0, -1, 301, Number.NaN]) {
      expect(() => toFetchHandler(handle, { maxBodyBytes: 1, bodyTimeoutSeconds })).toThrow(ConfigError);
      expect(() => toNodeHandler(handle, { maxBodyBytes: 1, bodyTimeoutSeconds })).toThrow(ConfigError);
    }
  });
});
