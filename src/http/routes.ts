import type { VerificationService } from '../service.js';
import type { AuthAdapter } from './auth.js';
import { errorResponse, json } from './errors.js';

/** Web-standard route handlers for the three calls a frontend makes. */
export interface VerificationRoutes {
  /** `POST`: start or resume; answers the `StartResult` (a single-use link or an outcome). */
  start(request: Request): Promise<Response>;
  /** `GET`: the user's status, from the store. */
  status(request: Request): Promise<Response>;
  /** `GET`/`POST`: the user came back from Stripe; reconciles once, answers the status. */
  return(request: Request): Promise<Response>;
  /** Dispatch on the last path segment (`/start`, `/status`, `/return`) for frameworks without a router. */
  fetch(request: Request): Promise<Response>;
}

/**
 * Build route handlers on an {@link AuthAdapter}: no user, 401 before any Stripe call; the user id always
 * comes from authentication, never from the request body.
 */
export function createVerificationRoutes(
  service: VerificationService,
  auth: AuthAdapter,
): VerificationRoutes {
  const route =
    (
      methods: string[],
      action: (
        request: Request,
        user: Awaited<ReturnType<AuthAdapter['authenticate']>> & {},
      ) => Promise<unknown>,
    ) =>
    async (request: Request): Promise<Response> => {
      if (!methods.includes(request.method)) {
        return json(
          405,
          { error: 'method_not_allowed', message: `Use ${methods.join(' or ')}.` },
          { allow: methods.join(', ') },
        );
      }
      try {
        const user = await auth.authenticate(request);
        if (!user)
          return json(401, { error: 'unauthenticated', message: 'Sign in before verifying your identity.' });
        return json(200, await action(request, user));
      } catch (error) {
        return errorResponse(error);
      }
    };
  const sessionIdOf = (request: Request) => new URL(request.url).searchParams.get('session_id') ?? undefined;
  const routes = {
    start: route(['POST'], (_request, user) => service.start(user)),
    status: route(['GET'], (_request, user) => service.status(user.id)),
    return: route(['GET', 'POST'], (request, user) => service.handleReturn(user.id, sessionIdOf(request))),
  };
  const actions: Record<string, (request: Request) => Promise<Response>> = routes;
  return {
    ...routes,
    fetch: async (request) => {
      const last = new URL(request.url).pathname.split('/').filter(Boolean).pop() ?? '';
      const handler = Object.hasOwn(actions, last) ? actions[last] : undefined;
      return handler
        ? handler(request)
        : json(404, { error: 'not_found', message: 'Use /start, /status or /return.' });
    },
  };
}
