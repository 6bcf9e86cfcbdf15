/**
 * The few Stripe API reads (and one write) the CLI makes, over plain fetch so that `--api-base` can point
 * anywhere (the simulator). Failures that say nothing about the account (a bad key, no network, Stripe's
 * own 5xx or rate limit) are thrown as {@link CannotCheckError}; a permission error is returned, because it
 * is a finding about the key.
 */

/** Why the checks could not run at all. */
export type CannotCheckReason = 'bad_key' | 'network' | 'stripe_unavailable' | 'rate_limited' | 'unexpected';

/** The API could not be asked: reported as such, never as a failed check. */
export class CannotCheckError extends Error {
  constructor(
    readonly reason: CannotCheckReason,
    message: string,
  ) {
    super(message);
    this.name = 'CannotCheckError';
  }
}

/** A JSON answer from the API. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** How the CLI reaches Stripe. */
export interface StripeApiOptions {
  key: string;
  /** `https://api.stripe.com` or the simulator's address. */
  base: string;
  /** Sent as `Stripe-Version`: the version the library's client uses. */
  apiVersion: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function errorMessage(body: Record<string, unknown>): string {
  const error = body.error as { message?: unknown } | undefined;
  return typeof error?.message === 'string' ? error.message : 'no error message';
}

/** Stripe's form encoding for the flat and list parameters the CLI sends. */
export function formEncode(params: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        parts.push(`${encodeURIComponent(`${name}[${index}]`)}=${encodeURIComponent(item)}`);
      });
    } else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

/** A minimal Stripe REST client. */
export class StripeApi {
  constructor(private readonly options: StripeApiOptions) {}

  /** `GET path?query`. */
  get(path: string, query: Record<string, string | string[]> = {}): Promise<ApiAnswer> {
    const search = formEncode(query);
    return this.request('GET', search ? `${path}?${search}` : path);
  }

  /** `POST path` with a form body. */
  post(path: string, params: Record<string, string | string[]>): Promise<ApiAnswer> {
    return this.request('POST', path, formEncode(params));
  }

  private async request(method: 'GET' | 'POST', path: string, body?: string): Promise<ApiAnswer> {
    const { key, base, apiVersion, timeoutMs = 20_000 } = this.options;
    const url = `${base.replace(/\/+$/, '')}${path}`;
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          'stripe-version': apiVersion,
          'user-agent': 'stripe-identity-kit-cli',
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new CannotCheckError(
        'network',
        `could not reach ${base} (${why}): check the network or --api-base`,
      );
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      throw new CannotCheckError(
        response.status >= 500 ? 'stripe_unavailable' : 'unexpected',
        `${base} answered ${method} ${path.split('?')[0]} with HTTP ${response.status} and no JSON: is --api-base a Stripe API?`,
      );
    }
    if (response.status === 401) {
      throw new CannotCheckError(
        'bad_key',
        `Stripe refused the key (401): ${errorMessage(parsed)}. Check STRIPE_SECRET_KEY.`,
      );
    }
    if (response.status === 429) {
      throw new CannotCheckError(
        'rate_limited',
        'Stripe rate-limited the checks (429): try again in a minute.',
      );
    }
    if (response.status >= 500) {
      throw new CannotCheckError(
        'stripe_unavailable',
        `Stripe answered HTTP ${response.status} (${errorMessage(parsed)}): try again later, see https://status.stripe.com`,
      );
    }
    return { status: response.status, body: parsed };
  }
}
