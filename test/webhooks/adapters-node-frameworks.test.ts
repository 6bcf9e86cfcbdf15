import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, WebhookSignatureError } from '../../src/errors.js';
import { toNodeHandler } from '../../src/webhooks/node-adapter.js';
import type { WebhookAnswer } from '../../src/webhooks/types.js';
import { LIMIT, recordingHandler, send, serve, textOf } from './adapters-node-harness.js';

describe('toNodeHandler with a framework in front', () => {
  const readAll = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('answers 400 body_not_raw with the express.raw hint when express.json() already parsed the body', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle, async (req) => {
      req.body = JSON.parse((await readAll(req)).toString('utf8'));
    });
    const reply = await send(server.port, '{"id":"evt_1"}', { headers: { 'stripe-signature': 't=1,v1=ab' } });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'webhook_signature_invalid', reason: 'body_not_raw' });
    expect(reply.json.message).toContain("express.raw({ type: 'application/json' })");
    expect(calls).toHaveLength(0);
  });

  it('uses a Buffer req.body left by express.raw()', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle, async (req) => {
      req.body = await readAll(req);
    });
    expect((await send(server.port, '{"raw":1}', { headers: { 'stripe-signature': 'sig' } })).status).toBe(
      200,
    );
    expect(textOf(calls)).toBe('{"raw":1}');
    expect(calls[0]?.signature).toBe('sig');
  });

  it('uses a string req.body left by a text parser, and applies the limit to it', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle, async (req) => {
      req.body = (await readAll(req)).toString('utf8');
    });
    expect((await send(server.port, '{"text":"é"}')).status).toBe(200);
    expect(calls[0]?.rawBody).toBe('{"text":"é"}');
    expect((await send(server.port, 'é'.repeat(LIMIT))).status).toBe(413);
    expect(calls).toHaveLength(1);
  });

  it("reads the stream when req.body is body-parser's empty placeholder and the stream is untouched", async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle, async (req) => {
      req.body = {};
    });
    expect((await send(server.port, '{"placeholder":1}')).status).toBe(200);
    expect(textOf(calls)).toBe('{"placeholder":1}');
  });

  it('answers 400 when the stream was consumed and nothing was left on req.body', async () => {
    const { calls, handle } = recordingHandler();
    const server = await serve(handle, async (req) => {
      await readAll(req);
    });
    const reply = await send(server.port, '{"gone":1}');
    expect(reply.status).toBe(400);
    expect(reply.json.reason).toBe('body_not_raw');
    expect(reply.json.message).toMatch(/already read/);
    expect(calls).toHaveLength(0);
  });
});

describe('toNodeHandler failures', () => {
  it('answers 500 internal_error when the handler throws, and keeps serving', async () => {
    let fail = true;
    const server = await serve(async () => {
      if (fail) throw new Error('database exploded with secrets inside');
      return { status: 200, body: {} };
    });
    const reply = await send(server.port, '{}');
    expect(reply).toMatchObject({ status: 500, json: { error: 'internal_error' } });
    expect(JSON.stringify(reply.json)).not.toMatch(/exploded/);
    fail = false;
    expect((await send(server.port, '{}')).status).toBe(200);
  });

  it('answers 400 when the handler rejects with a WebhookSignatureError', async () => {
    const server = await serve(async () => {
      throw new WebhookSignatureError('timestamp_too_old', 'too old');
    });
    const reply = await send(server.port, '{}');
    expect(reply).toMatchObject({ status: 400, json: { reason: 'timestamp_too_old', message: 'too old' } });
  });

  it('answers 500 when the handler returns something that cannot be sent', async () => {
    for (const bad of [
      { status: 99, body: {} },
      { status: 200, body: { big: 1n } },
      null,
    ] as unknown as WebhookAnswer[]) {
      const server = await serve(async () => bad);
      expect((await send(server.port, '{}')).status).toBe(500);
    }
  });

  it('refuses a non-positive or fractional maxBodyBytes when built', () => {
    const { handle } = recordingHandler();
    for (const maxBodyBytes of [0, -1, 1.5, Number.NaN]) {
      expect(() => toNodeHandler(handle, { maxBodyBytes })).toThrow(ConfigError);
    }
  });
});
