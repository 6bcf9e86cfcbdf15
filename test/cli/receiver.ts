/** A webhook receiver on 127.0.0.1 that checks every delivery's signature with stripe-node. */
import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';

/** One delivery as received. */
export interface Received {
  event: Stripe.Event;
  /** The status the receiver answered. */
  answered: number;
}

/** A running receiver. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Deliveries whose signature did not verify. */
  rejected: string[];
  /** Answer 500 to the next `n` deliveries (to make the simulator retry). */
  failNext: (n: number) => void;
  /** Resolves once `predicate` holds for what was received (polling). */
  until: (predicate: (received: Received[]) => boolean, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

/** Starts a receiver verifying with `secret`. */
export async function startReceiver(secret: () => string): Promise<Receiver> {
  const stripe = new Stripe('sk_test_receiver');
  const received: Received[] = [];
  const rejected: string[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void stripe.webhooks
        .constructEventAsync(body, String(req.headers['stripe-signature']), secret())
        .then((event) => {
          const answered = failures > 0 ? 500 : 200;
          if (failures > 0) failures -= 1;
          received.push({ event, answered });
          res.writeHead(answered).end();
        })
        .catch((error: Error) => {
          rejected.push(error.message);
          res.writeHead(400).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/stripe/webhook`,
    received,
    rejected,
    failNext: (n) => {
      failures = n;
    },
    until: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) {
          throw new Error(
            `timed out; received ${received.map((r) => `${r.event.type}:${r.answered}`).join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
