/** An in-process webhook endpoint that records what it receives. */
import type Stripe from 'stripe';

/** One webhook request as an endpoint saw it. */
export interface Received {
  body: string;
  signature: string;
}

/** An in-process endpoint answering with `statuses` in turn (the last one repeats). */
export function recorder(statuses: number[] = [200]) {
  const received: Received[] = [];
  const handler = async (req: Request): Promise<Response> => {
    received.push({ body: await req.text(), signature: req.headers.get('stripe-signature') ?? '' });
    const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
    return new Response('{}', { status });
  };
  return { received, handler, types: () => received.map((r) => (JSON.parse(r.body) as Stripe.Event).type) };
}
