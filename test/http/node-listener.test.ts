import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { createVerificationRoutes } from '../../src/http/routes.js';
import { toNodeListener } from '../../src/node.js';
import { harness } from '../support/harness.js';
import { bearerAuth, listen, track } from './serve.js';

const json = { authorization: 'Bearer user_1', 'content-type': 'application/json' };

async function expressApp(parsers: express.RequestHandler[]) {
  const h = await harness();
  const routes = createVerificationRoutes(h.service, bearerAuth);
  const app = express();
  for (const parser of parsers) app.use(parser);
  app.use('/identity', toNodeListener(routes.fetch));
  const server = createServer(app);
  track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { h, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/identity` };
}

describe('toNodeListener whether or not a body parser ran first', () => {
  test.each([
    ['behind express.json()', [express.json()]],
    ['behind express.raw()', [express.raw({ type: '*/*' })]],
    ['behind express.text()', [express.text({ type: '*/*' })]],
    ['behind express.urlencoded()', [express.urlencoded({ extended: false })]],
    ['with no parser', []],
  ])('%s: JSON POSTs answer instead of hanging, and the body still arrives', async (_name, parsers) => {
    const { base } = await expressApp(parsers);
    const started = await fetch(`${base}/start`, { method: 'POST', headers: json, body: '{}' });
    expect(started.status).toBe(200);
    const { sessionId } = (await started.json()) as { sessionId: string };
    const canceled = await fetch(`${base}/cancel`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ sessionId }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(canceled.status).toBe(200);
    expect(await canceled.json()).toMatchObject({ state: 'canceled', sessionId });
  });

  test('a stream a middleware read without leaving req.body is not waited on', async () => {
    const h = await harness();
    const routes = createVerificationRoutes(h.service, bearerAuth);
    const listener = toNodeListener(routes.fetch);
    const base = await listen(async (req, res) => {
      for await (const _chunk of req) {
        // a logging middleware that drains the body
      }
      await listener(req, res);
    }, '/identity');
    const answer = await fetch(`${base}/start`, {
      method: 'POST',
      headers: json,
      body: '{"x":1}',
      signal: AbortSignal.timeout(5_000),
    });
    expect(answer.status).toBe(200);
  });

  test('a body past maxBodyBytes is 413, a trickling one 408, without reaching the handler', async () => {
    let reached = 0;
    const base = await listen(
      toNodeListener(
        async () => {
          reached += 1;
          return new Response('{}');
        },
        { maxBodyBytes: 1024, bodyTimeoutSeconds: 0.5 },
      ),
    );
    const big = await fetch(`${base}/start`, { method: 'POST', headers: json, body: 'x'.repeat(4096) });
    expect(big.status).toBe(413);
    const trickle = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        controller.enqueue(new Uint8Array([0x20]));
      },
    });
    const slow = await fetch(`${base}/start`, {
      method: 'POST',
      headers: json,
      body: trickle,
      duplex: 'half',
    } as RequestInit);
    expect(slow.status).toBe(408);
    expect(reached).toBe(0);
  });
});
