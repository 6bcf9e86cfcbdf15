/**
 * The webhook delivery queue. One delivery runs at a time, always the pending one with the smallest
 * (due time, order key), so the sequence depends only on the seed and on what was enqueued, never on
 * wall-clock timing. Every seeded choice (order key, delay, duplicate) is derived from what is delivered
 * (event, endpoint, attempt, copy), so a retry drawn earlier or later cannot shift the choices of others.
 * Delays and retries are simulated time: `advance()` makes them due, `flush()` runs them all.
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

/** What one delivery attempt sends where; every seeded choice about it derives from this. */
interface DeliveryKey {
  event: Stripe.Event;
  endpoint: EndpointState;
  attempt: number;
  duplicate: boolean;
  /** Position of the event among those enqueued: keeps event order when not reordering. */
  eventIndex: number;
}

interface Pending extends DeliveryKey {
  dueAt: number;
  order: number;
}

/** The seeded choices for one delivery attempt. */
interface DeliveryDraw {
  order: number;
  delay: number;
  duplicated: boolean;
}

function byTurn(a: Pending, b: Pending): number {
  return (
    a.dueAt - b.dueAt ||
    a.order - b.order ||
    a.eventIndex - b.eventIndex ||
    a.endpoint.seq - b.endpoint.seq ||
    Number(a.duplicate) - Number(b.duplicate) ||
    a.attempt - b.attempt
  );
}

/** Queue of deliveries with retries, duplicates, delays and reordering. */
export class DeliveryQueue {
  private pending: Pending[] = [];
  private chain: Promise<void> = Promise.resolve();
  private eventCount = 0;
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
    const eventIndex = this.eventCount;
    this.eventCount += 1;
    for (const endpoint of endpoints) {
      const first = this.push({ event, endpoint, attempt: 1, duplicate: false, eventIndex });
      if (first.duplicated) this.push({ event, endpoint, attempt: 1, duplicate: true, eventIndex });
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

  /** A pure function of the seed and `key`: the same delivery gets the same choices whenever it is queued. */
  private draw(key: DeliveryKey): DeliveryDraw {
    const copy = key.duplicate ? 1 : 0;
    const random = this.random.derive(`${key.event.id} ${key.endpoint.id} ${key.attempt} ${copy}`);
    const order = random.next();
    const [min, max] = this.settings.delayMs;
    const delay = max > 0 ? random.int(min, max) : 0;
    const duplicated = random.next() < this.settings.duplicateRate;
    return { order, delay, duplicated };
  }

  /** Queues `key`, due after `delay` (a retry's backoff) or else its seeded initial delay. */
  private push(key: DeliveryKey, delay?: number): DeliveryDraw {
    const draw = this.draw(key);
    const order = this.settings.reorder ? draw.order : key.eventIndex;
    this.pending.push({ ...key, dueAt: this.clock.now() + (delay ?? draw.delay), order });
    return draw;
  }

  private run(horizon: () => number): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        if (this.closed) return;
        const limit = horizon();
        const due = this.pending.filter((p) => p.dueAt <= limit).sort(byTurn)[0];
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
      const { event, endpoint, duplicate, eventIndex } = item;
      this.push({ event, endpoint, attempt: item.attempt + 1, duplicate, eventIndex }, delay);
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
    await drainBody(response, signal);
    return response.status;
  }
}

/**
 * Reads the body so a keep-alive connection is released; its content does not matter to Stripe. The read
 * is bounded by the delivery's signal (timeout, close): a body that never ends is a timed-out delivery.
 */
async function drainBody(response: Response, signal: AbortSignal): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const aborted = rejectOnAbort(signal);
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), aborted]);
      if (chunk.done) return;
    }
  } catch (error) {
    if (!signal.aborted) return; // a body that fails after the status line: the status still counts
    reader.cancel(error).catch(() => undefined);
    throw error;
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
