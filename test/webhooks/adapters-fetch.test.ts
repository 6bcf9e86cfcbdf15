import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, WebhookSignatureError } from '../../src/errors.js';
import { toFetchHandler } from '../../src/webhooks/fetch-adapter.js';
import type { WebhookAnswer, WebhookHandler, WebhookInput } from '../../src/webhooks/types.js';
import { verifyStripeSignature } from '../../src/webhooks/verify.js';

const LIMIT = 1024;
const SECRET = 'whsec_fetch_adapter_test';
const URL_ = 'http://127.0.0.1/webhook';

function recordingHandler(answer: WebhookAnswer = { status: 200, body: { received: true } }) {
  const calls: WebhookInput[] = [];
  const handle: WebhookHandler = async (input) => {
    calls.push(input);
    return answer;
  };
  return { calls, handle };
}

/** The raw body the stub handler received on its `index`-th call, as bytes. */
function bytesOf(calls: readonly WebhookInput[], index = 0): Uint8Array {
  const raw = calls[index]?.rawBody;
  if (raw === undefined) throw new Error(`the handler was not called ${index + 1} time(s)`);
  return typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
}

const textOf = (calls: readonly WebhookInput[], index = 0): string =>
  new TextDecoder().decode(bytesOf(calls, index));

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

/** A tiny node:http → fetch Request bridge, the way runtimes without native fetch servers adapt. */
async function serveFetch(handler: (request: Request) => Promise<Response>): Promise<string> {
  const server = createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const item of [value ?? []].flat()) {
        headers.append(name, item);
      }
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const init = {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    } as RequestInit;
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, init));
    res.statusCode = response.status;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
}

/** A body stream that counts how many chunks were pulled and whether it was cancelled. */
function countingStream(chunkSize: number, chunks: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === chunks) {
        controller.close();
        return;
      }
      state.pulled += 1;
      controller.enqueue(new Uint8Array(chunkSize).fill(0x61));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { state, stream };
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}): Request =>
  new Request(URL_, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('toFetchHandler over a real socket', () => {
  it('hands the exact raw bytes to the handler, which verifies them, and answers JSON', async () => {
    const body = new Uint8Array([
      ...Buffer.from('{"id":"evt_1",\r\n"x":"'),
      0xfe,
      0xff,
      ...Buffer.from('"}'),
    ]);
    const now = Date.now();
    const t = Math.floor(now / 1000);
    const v1 = createHmac('sha256', SECRET)
      .update(Buffer.concat([Buffer.from(`${t}.`), body]))
      .digest('hex');
    const url = await serveFetch(
      toFetchHandler(
        async (input) => {
          const { payload } = await verifyStripeSignature(input.rawBody, input.signature, {
            secrets: [SECRET],
            now: () => now,
          });
          return { status: 200, body: { length: payload.length } };
        },
        { maxBodyBytes: LIMIT },
      ),
    );
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'stripe-signature': `t=${t},v1=${v1}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ length: new TextDecoder().decode(body).length });
  });

  it('answers 405 with Allow: POST', async () => {
    const { calls, handle } = recordingHandler();
    const url = await serveFetch(toFetchHandler(handle, { maxBodyBytes: LIMIT }));
    const response = await fetch(url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(calls).toHaveLength(0);
  });

  it('answers 413 to a streamed body over the limit without calling the handler', async () => {
    const { calls, handle } = recordingHandler();
    const url = await serveFetch(toFetchHandler(handle, { maxBodyBytes: LIMIT }));
    const { stream } = countingStream(512, 64);
    const response = await fetch(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'body_too_large' });
    expect(calls).toHaveLength(0);
  });
});

describe('toFetchHandler called directly', () => {
  it('passes the signature header, or null when absent', async () => {
    const { calls, handle } = recordingHandler();
    const fetchHandler = toFetchHandler(handle, { maxBodyBytes: LIMIT });
    await fetchHandler(post('{"a":1}', { 'stripe-signature': 't=1,v1=ab' }));
    await fetchHandler(post('{"a":2}'));
    expect(calls.map((call) => call.signature)).toEqual(['t=1,v1=ab', null]);
    expect(textOf(calls, 1)).toBe('{"a":2}');
  });

  it('answers 413 from Content-Length alone, without pulling the body', async () => {
    const { calls, handle } = recordingHandler();
    const { state, stream } = countingStream(512, 1000);
    const response = await toFetchHandler(handle, { maxBodyBytes: LIMIT })(
      post(stream, { 'content-length': String(512 * 1000) }),
    );
    expect(response.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(1); // a stream may pre-fill its queue once
    expect(state.cancelled).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('counts the bytes when Content-Length understates the body, and stops pulling at the limit', async () => {
    const { calls, handle } = recordingHandler();
    const { state, stream } = countingStream(256, 1000);
    const response = await toFetchHandler(handle, { maxBodyBytes: LIMIT })(
      post(stream, { 'content-length': '5' }),
    );
    expect(response.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(LIMIT / 256 + 2);
    expect(state.cancelled).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('gives the handler an empty body when the POST has none', async () => {
    const { calls, handle } = recordingHandler();
    await toFetchHandler(handle, { maxBodyBytes: LIMIT })(post(null));
    expect(bytesOf(calls).byteLength).toBe(0);
  });

  it('answers 400 body_not_raw when the body was already read', async () => {
    const { calls, handle } = recordingHandler();
    const request = post('{"a":1}');
    await request.json();
    const response = await toFetchHandler(handle, { maxBodyBytes: LIMIT })(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'webhook_signature_invalid',
      reason: 'body_not_raw',
    });
    expect(calls).toHaveLength(0);
  });

  it('answers 400 body_unreadable when the body stream fails midway', async () => {
    const { calls, handle } = recordingHandler();
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) controller.error(new Error('connection reset'));
        else controller.enqueue(new Uint8Array([123]));
        sent = true;
      },
    });
    const response = await toFetchHandler(handle, { maxBodyBytes: LIMIT })(post(stream));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'body_unreadable' });
    expect(calls).toHaveLength(0);
  });

  it('answers 500 internal_error when the handler throws, without details', async () => {
    const fetchHandler = toFetchHandler(
      async () => {
        throw new Error('store said something private');
      },
      { maxBodyBytes: LIMIT },
    );
    const response = await fetchHandler(post('{}'));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal_error' });
  });

  it('answers 400 when the handler rejects with a WebhookSignatureError', async () => {
    const fetchHandler = toFetchHandler(
      async () => {
        throw new WebhookSignatureError('missing_header', 'no header');
      },
      { maxBodyBytes: LIMIT },
    );
    const response = await fetchHandler(post('{}'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: 'missing_header' });
  });

  it('answers 500 when the handler returns something that cannot be sent', async () => {
    for (const bad of [
      { status: 1000, body: {} },
      { status: 200, body: { n: 1n } },
      undefined,
    ] as unknown as WebhookAnswer[]) {
      const response = await toFetchHandler(async () => bad, { maxBodyBytes: LIMIT })(post('{}'));
      expect(response.status).toBe(500);
    }
  });

  it('refuses an invalid maxBodyBytes when built', () => {
    const { handle } = recordingHandler();
    for (const maxBodyBytes of [0, -5, 0.5, Number.POSITIVE_INFINITY]) {
      expect(() => toFetchHandler(handle, { maxBodyBytes })).toThrow(ConfigError);
    }
  });
});
