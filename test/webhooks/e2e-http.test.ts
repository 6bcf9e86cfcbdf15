import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { toNodeListener } from '../../src/node.js';
import { harness, IDENTITY_EVENTS, WEBHOOK_SECRET } from '../support/harness.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<string> {
  const server = createServer((req, res) => void listener(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
}

describe('the simulator delivers signed events over HTTP on 127.0.0.1', () => {
  test.each([
    ['webhooks.node', (h: Awaited<ReturnType<typeof harness>>) => h.service.webhooks.node],
    [
      'webhooks.fetch (through toNodeListener)',
      (h: Awaited<ReturnType<typeof harness>>) => toNodeListener(h.service.webhooks.fetch),
    ],
  ])('%s', async (_name, adapter) => {
    const verified = vi.fn();
    const requiresInput = vi.fn();
    const h = await harness({ webhooks: false, service: { on: { verified, requiresInput } } });
    const url = await serve(adapter(h));
    h.sim.addWebhookEndpoint({ url, secret: WEBHOOK_SECRET, enabledEvents: IDENTITY_EVENTS });
    const result = await h.service.start({ id: 'user_1' });
    if (result.status !== 'redirect') throw new Error(result.status);
    await h.sim.submit(result.sessionId, 'document_expired');
    await h.sim.flushWebhooks();
    await h.service.start({ id: 'user_1' });
    await h.sim.submit(result.sessionId, 'verified');
    await h.sim.flushWebhooks();
    expect(h.sim.deliveries.length).toBeGreaterThanOrEqual(5);
    expect(h.sim.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
    expect(requiresInput).toHaveBeenCalledTimes(1);
    expect(verified).toHaveBeenCalledTimes(1);
    expect(await h.service.status('user_1')).toMatchObject({ state: 'verified', submissions: { used: 2 } });
  });

  test('a wrong secret is answered 400 and Stripe keeps retrying; nothing is applied', async () => {
    const h = await harness({ webhooks: false });
    const url = await serve(h.service.webhooks.node);
    h.sim.addWebhookEndpoint({ url, secret: 'whsec_not_the_configured_one', enabledEvents: IDENTITY_EVENTS });
    const result = await h.service.start({ id: 'user_1' });
    if (result.status !== 'redirect') throw new Error(result.status);
    await h.sim.submit(result.sessionId, 'verified');
    await h.sim.flushWebhooks();
    expect(h.sim.deliveries.every((delivery) => delivery.status === 400)).toBe(true);
    expect((await h.service.status('user_1')).state).toBe('requires_input');
  });
});
