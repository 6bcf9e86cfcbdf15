/**
 * The control API under `/_simulator/`: what a test in any language needs to play the user, move time,
 * inject faults and read the logs, over plain HTTP (JSON or form bodies). Documented in docs/testing.md.
 */
import type Stripe from 'stripe';
import { isIdentityKitError } from '../../../errors.js';
import { StripeApiFailure } from '../api-error.js';
import type { ApiOutcome, RawApiRequest } from '../dispatch.js';
import type { ControlHandler } from '../router.js';
import type { DeepPartial } from '../types.js';
import { badRequest, type ControlFields, readFields } from './body.js';
import { faultFromFields } from './faults.js';
import type { ControlTarget } from './target.js';

type Action = (target: ControlTarget, fields: ControlFields, id: string) => Promise<unknown> | unknown;

interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  action: Action;
}

const SESSION = '^/_simulator/sessions/(?<id>[^/]+)';

function outcomeOf(fields: ControlFields): string {
  const outcome = fields.outcome ?? 'verified';
  if (typeof outcome !== 'string' || outcome === '')
    throw badRequest('outcome must be verified or a last_error code');
  return outcome;
}

function sessionOrMissing(target: ControlTarget, id: string): Stripe.Identity.VerificationSession {
  const session = target.session(id);
  if (!session) {
    throw new StripeApiFailure({
      status: 404,
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such verification_session: '${id}'`,
    });
  }
  return session;
}

const ROUTES: ControlRoute[] = [
  {
    method: 'POST',
    pattern: new RegExp(`${SESSION}/submit$`),
    action: async (target, fields, id) => {
      sessionOrMissing(target, id);
      await target.submit(id, outcomeOf(fields));
      return target.session(id);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`${SESSION}/begin_submission$`),
    action: async (target, _fields, id) => {
      sessionOrMissing(target, id);
      await target.beginSubmission(id);
      return target.session(id);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`${SESSION}/complete_submission$`),
    action: async (target, fields, id) => {
      sessionOrMissing(target, id);
      await target.completeSubmission(id, outcomeOf(fields));
      return target.session(id);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`${SESSION}$`),
    action: (target, _f, id) => sessionOrMissing(target, id),
  },
  { method: 'GET', pattern: /^\/_simulator\/sessions$/, action: (target) => ({ data: target.sessions() }) },
  {
    method: 'POST',
    pattern: /^\/_simulator\/advance$/,
    action: async (target, fields) => {
      const ms = fields.ms === undefined ? undefined : Number(fields.ms);
      if (ms === undefined || !Number.isFinite(ms) || ms < 0) throw badRequest('ms must be a number >= 0');
      target.advance(ms);
      await target.settle();
      return { now: target.now() };
    },
  },
  { method: 'GET', pattern: /^\/_simulator\/clock$/, action: (target) => ({ now: target.now() }) },
  {
    method: 'POST',
    pattern: /^\/_simulator\/faults$/,
    action: (target, fields) => {
      const { fault, rate } = faultFromFields(fields);
      if (rate === undefined) target.failNext(fault);
      else target.setFaultRate(rate, fault);
      return {
        queued: {
          ...fault,
          ...(fault.match?.path instanceof RegExp
            ? { match: { ...fault.match, path: String(fault.match.path) } }
            : {}),
        },
      };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/_simulator\/faults$/,
    action: (target) => {
      target.clearFaults();
      return { cleared: true };
    },
  },
  { method: 'GET', pattern: /^\/_simulator\/requests$/, action: (target) => ({ data: target.requests }) },
  { method: 'GET', pattern: /^\/_simulator\/events$/, action: (target) => ({ data: target.events }) },
  { method: 'GET', pattern: /^\/_simulator\/deliveries$/, action: (target) => ({ data: target.deliveries }) },
  {
    method: 'POST',
    pattern: /^\/_simulator\/webhooks\/flush$/,
    action: async (target) => {
      await target.flushWebhooks();
      return { deliveries: target.deliveries.length };
    },
  },
  {
    method: 'POST',
    pattern: /^\/_simulator\/redactions\/complete$/,
    action: async (target) => {
      await target.completeRedactions();
      return { completed: true };
    },
  },
  {
    method: 'POST',
    pattern: /^\/_simulator\/account$/,
    action: (target, fields) => {
      target.setAccount(fields as DeepPartial<Stripe.Account>);
      return { updated: true };
    },
  },
  {
    method: 'POST',
    pattern: /^\/_simulator\/reset$/,
    action: (target) => {
      target.reset();
      return { reset: true };
    },
  },
];

function json(status: number, body: unknown): ApiOutcome {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: `${JSON.stringify(body, null, 2)}\n`,
  };
}

/** Stripe's error shape, without the request-log link that only Stripe's own answers have. */
function failure(status: number, message: string, code?: string): ApiOutcome {
  const type = status >= 500 ? 'api_error' : 'invalid_request_error';
  return json(status, { error: { ...(code ? { code } : {}), message, type } });
}

function pathId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`Malformed id in the path: ${raw}`);
  }
}

/** Serves the control API for one simulator. */
export class ControlApi implements ControlHandler {
  constructor(private readonly target: ControlTarget) {}

  /** Answers one `/_simulator/…` request. */
  async handle(req: RawApiRequest): Promise<ApiOutcome> {
    const method = req.method.toUpperCase();
    try {
      for (const route of ROUTES) {
        const match = route.pattern.exec(req.path);
        if (!match || route.method !== method) continue;
        const id = pathId(match.groups?.id ?? '');
        return json(200, await route.action(this.target, readFields(req), id));
      }
      return failure(404, `Unknown control route: ${method} ${req.path} (see docs/testing.md)`);
    } catch (error) {
      if (error instanceof StripeApiFailure) {
        return failure(error.details.status, error.details.message, error.details.code);
      }
      const message = error instanceof Error ? error.message : String(error);
      return failure(isIdentityKitError(error) ? 400 : 500, message);
    }
  }
}
