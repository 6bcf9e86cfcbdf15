import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verifyStripeSignature } from '../../src/webhooks/verify.js';
import {
  bytesOf,
  LIMIT,
  recordingHandler,
  SECRET,
  send,
  serve,
  signedHeader,
  textOf,
} from './adapters-node-harness.js';

describe('toNodeHandler over a real socket', () => {
  it('hands the exact raw bytes and the signature to the handler, which verifies them', async () => {
    const body = new Uint8Array([
      ...Buffer.from('{"id":"evt_1",\r\n"x":"'),
      0xff,
      0xc3,
      ...Buffer.from('"}'),
    ]);
    const now = Date.now();
    const header = signedHeader(body, Math.floor(now / 1000));
    const verified: string[] = [];
    const server = await serve(async (input) => {
      const result = await verifyStripeSignature(input.rawBody, input.signature, {
        secrets: [SECRET],
        now: () => now,
      });
      verified.push(result.payload);
      return { status: 200, body: { received: true } };
    });
    const reply = await send(server.port, body, {
      headers: { 'stripe-signature': header, 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.json).toEqual({ received: true });
    expect(verified).toHaveLength(1);
    expect(verified[0]).toContain('\r\n');
  });

  it('passes the handler its answer unchanged, and a missing header as undefined', async () => {
    const { calls, handle } = recordingHandler({ status: 202, body: { queued: 1 } });
    const server = await serve(handle);
    const reply = await send(server.port, '{"a":1}');
    expect(reply).toMatchObject({ status: 202, json: { queued: 1 } });
    expect(calls[0]?.signature).toBeUndefined();
    expect(textOf(calls)).toBe('{"a":1}');
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await send(server.port, null, { method });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('POST');
      expect(reply.json.error).toBe('method_not_allowed');
    }
    expect(calls).toHaveLength(0);
  });

  it('answers 413 for a chunked body over the limit, without calling the handler', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle);
    const reply = await send(server.port, 'x'.repeat(LIMIT * 64), { chunked: true });
    expect(reply.status).toBe(413);
    expect(reply.json.error).toBe('body_too_large');
    expect(reply.headers.connection).toBe('close');
    expect(calls).toHaveLength(0);
  });

  it('accepts a body exactly at the limit', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle);
    expect((await send(server.port, 'y'.repeat(LIMIT), { chunked: true })).status).toBe(200);
    expect(bytesOf(calls).byteLength).toBe(LIMIT);
  });

  it('answers 413 from a declared Content-Length before any body byte is sent', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT * 1000}\r\n\r\n`);
    const [data] = (await once(socket, 'data')) as [Buffer];
    expect(data.toString('latin1')).toMatch(/^HTTP\/1\.1 413 /);
    socket.destroy();
    expect(calls).toHaveLength(0);
  });

  it('reads no more than a Content-Length that understates the body', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // The bytes after the declared five are the next request on the connection, not more body.
    socket.write(
      'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' +
        'GET /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    await once(socket, 'end');
    const responses = Buffer.concat(received).toString('latin1');
    expect(responses).toMatch(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 405 /);
    expect(calls).toHaveLength(1);
    expect(textOf(calls)).toBe('hello');
  });

  it('survives a request aborted mid-body (Content-Length overstates it) and keeps serving', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const done = server.nextDone();
    socket.write('POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"partial":');
    socket.destroy();
    await done;
    expect(calls).toHaveLength(0);
    expect((await send(server.port, '{"after":true}')).status).toBe(200);
    expect(calls).toHaveLength(1);
  });
});
