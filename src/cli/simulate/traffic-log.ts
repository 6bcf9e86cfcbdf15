/** One line per API call and per webhook delivery attempt, as `simulate` prints them (never a key or body). */
import type Stripe from 'stripe';
import type { SimulatorRequest, WebhookDelivery } from '../../testing/simulator/index.js';
import type { OutputStream, Palette } from '../terminal.js';

const clock = () => new Date().toISOString().slice(11, 19);

function statusText(status: number | 'reset' | 'error', paint: Palette): string {
  if (typeof status !== 'number') return paint.red(status);
  return status < 300
    ? paint.green(String(status))
    : status < 500
      ? paint.yellow(String(status))
      : paint.red(String(status));
}

/** Printers for the simulator's `onRequest` and `onDelivery`. */
export function trafficLog(out: OutputStream, paint: Palette, events: () => readonly Stripe.Event[]) {
  return {
    request(request: SimulatorRequest): void {
      const fault = request.fault ? paint.dim(` (fault: ${request.fault})`) : '';
      const replay = request.replayed ? paint.dim(' (idempotent replay)') : '';
      out.write(
        `${paint.dim(clock())}  ${request.method} ${request.path} ${statusText(request.status, paint)} ${paint.dim(request.requestId)}${fault}${replay}\n`,
      );
    },
    delivery(delivery: WebhookDelivery): void {
      const type = events().find((event) => event.id === delivery.eventId)?.type ?? 'event';
      const copy = delivery.duplicate ? ' (duplicate)' : '';
      out.write(
        `${paint.dim(clock())}  --> ${type} ${paint.dim(delivery.eventId)} [${statusText(delivery.status, paint)}] attempt ${delivery.attempt}${copy}\n`,
      );
    },
  };
}
