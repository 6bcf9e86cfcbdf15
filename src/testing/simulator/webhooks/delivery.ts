/**
 * The webhook delivery queue. One delivery runs at a time, always the pending one with the smallest
 * (due time, order key), so the sequence depends only on the seed and on what was enqueued, never on
 * wall-clock timing. Delays and retries are simulated time: `advance()` makes them due, `flush()` runs them all.
 */
import type Stripe from 'stripe';
import type { SimulatorClock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import type { WebhookDelivery } from '../types.js';
import type { EndpointState } from './endpoints.js';
import { stripeSignatureHeader } from './signing.js';

/** Delivery settings after defaults. */
export interface DeliverySettings {
  autoDeliver: boolean;
  duplicateRate: number;
  delayMs: [number, number];
  reorder: boolean;
  maxAttempts: number;
  retryDelayMs: number;
  timeoutMs: number;
}

interface Pending {
  event: Stripe.Event;
  endpoint: EndpointState;
  attempt: number;
  dueAt: number;
  order: number;
  duplicate: boolean;
}

/** Queue of deliveries with retries, duplicates, delays and reordering. */
export class DeliveryQueue {
  private pending: Pending[] = [];
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  private closed = false;
  private kickScheduled = false;
  private readonly aborter = new AbortController();

  constructor(
    private readonly settings: DeliverySettings,
    private readonly clock: SimulatorClock,
    private readonly random: SeededRandom,
    private readonly record: (delivery: WebhookDelivery) => void,
  ) {}

  /** Queues `event` for each endpoint (plus seeded duplicates), then delivers due ones if auto-delivering. */
  enqueue(event: Stripe.Event, endpoints: EndpointState[]): void {
    for (const endpoint of endpoints) {
      this.push(event, endpoint, 1, this.initialDelay(), false);
      if (this.settings.duplicateRate > 0 && this.random.next() < this.settings.duplicateRate) {
        this.push(event, endpoint, 1, this.initialDelay(), true);
      }
    }
    if (this.settings.autoDeliver) this.kick();
  }

  /** Schedules a background run of the due deliveries (auto-delivery). */
  kick(): void {
    if (this.kickScheduled || this.closed || !this.settings.autoDeliver) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      void this.drainDue();
    });
  }

  /** Delivers every delivery due now (auto-delivery only), including retries that become due meanwhile. */
  drainDue(): Promise<void> {
    if (!this.settings.autoDeliver) return this.chain;
    return this.run(() => this.clock.now());
  }

  /** Delivers everything pending, however far in the future it is due, retries included. */
  flush(): Promise<void> {
    return this.run(() => Number.POSITIVE_INFINITY);
  }

  /** Stops: aborts the delivery in flight and drops the rest. */
  close(): void {
    this.closed = true;
    this.pending = [];
    this.aborter.abort();
  }

  private initialDelay(): number {
    const [min, max] = this.settings.delayMs;
    return max > 0 ? this.random.int(min, max) : 0;
  }

  private push(
    event: Stripe.Event,
    endpoint: EndpointState,
    attempt: number,
    delay: number,
    duplicate: boolean,
  ) {
    const order = this.settings.reorder ? this.random.next() : this.seq;
    this.seq += 1;
    this.pending.push({ event, endpoint, attempt, dueAt: this.clock.now() + delay, order, duplicate });
  }

  private run(horizon: () => number): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        if (this.closed) return;
        const limit = horizon();
        const due = this.pending
          .filter((p) => p.dueAt <= limit)
          .sort((a, b) => a.dueAt - b.dueAt || a.order - b.order)[0];
        if (!due) return;
        this.pending = this.pending.filter((p) => p !== due);
        await this.deliver(due);
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async deliver(item: Pending): Promise<void> {
    const at = this.clock.now();
    const body = JSON.stringify(
      item.endpoint.apiVersion ? { ...item.event, api_version: item.endpoint.apiVersion } : item.event,
      null,
      2,
    );
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': stripeSignatureHeader(
        body,
        item.endpoint.secret,
        Math.floor(at / 1000),
        !item.event.livemode,
      ),
    };
    let status: number | 'error';
    try {
      status = await this.send(item.endpoint, headers, body);
    } catch {
      status = 'error';
    }
    if (this.closed) return;
    this.record({
      eventId: item.event.id,
      endpointId: item.endpoint.id,
      attempt: item.attempt,
      status,
      at,
      duplicate: item.duplicate,
    });
    const ok = typeof status === 'number' && status >= 200 && status < 300;
    if (!ok && item.attempt < this.settings.maxAttempts) {
      const delay = this.settings.retryDelayMs * 2 ** (item.attempt - 1);
      this.push(item.event, item.endpoint, item.attempt + 1, delay, item.duplicate);
    }
  }

  private async send(
    endpoint: EndpointState,
    headers: Record<string, string>,
    body: string,
  ): Promise<number> {
    const signal = AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    const target = endpoint.url ?? `https://webhooks.simulator.invalid/${endpoint.id}`;
    const request = new Request(target, { method: 'POST', headers, body, signal, redirect: 'manual' });
    const response = endpoint.handler
      ? await Promise.race([endpoint.handler(request), rejectOnAbort(signal)])
      : await fetch(request);
    // Read the body so a keep-alive connection is released; its content does not matter to Stripe.
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  }
}

/** A promise that rejects when `signal` aborts (a handler that ignores the signal still times out). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
