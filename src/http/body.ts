import { readWebStream } from '../webhooks/raw-body.js';
import { problem } from './errors.js';

/** Route bodies carry at most a session id; anything this large is not a route call. */
export const MAX_ROUTE_BODY_BYTES = 16_384;

/** What a route reads from its request besides the user: the session it is about, when given. */
export interface RouteInput {
  sessionId?: string;
}

/**
 * The session id of `/return` and `/cancel`: the `session_id` query (what a return URL carries), or
 * `sessionId` in a JSON body. Answers 413 past {@link MAX_ROUTE_BODY_BYTES}, 408 when the body has not
 * arrived within `timeoutMs` (a trickling or endless stream would otherwise hold the request), and 400 for
 * a body that is not JSON or a session id that is not a string; other content types are ignored (they
 * carry nothing).
 */
export async function readRouteInput(
  request: Request,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<RouteInput | Response> {
  const query = new URL(request.url).searchParams.get('session_id');
  const fromQuery = query === null || query === '' ? undefined : query;
  if (request.method === 'GET' || request.body === null) return { sessionId: fromQuery };
  const read = await readWebStream(request.body, MAX_ROUTE_BODY_BYTES, timeoutMs);
  if (read.kind === 'too_large') {
    return problem(413, 'body_too_large', `Route bodies are limited to ${MAX_ROUTE_BODY_BYTES} bytes.`);
  }
  if (read.kind === 'timed_out') {
    return problem(408, 'body_timeout', 'The request body did not arrive in time.');
  }
  if (read.kind === 'failed') {
    return problem(400, 'body_unreadable', 'The request body could not be read to its end.');
  }
  const text = new TextDecoder().decode(read.bytes);
  const type = request.headers.get('content-type') ?? '';
  if (text.trim() === '' || !/\bjson\b/i.test(type)) return { sessionId: fromQuery };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problem(400, 'invalid_input', 'The request body is not valid JSON.');
  }
  const given =
    typeof parsed === 'object' && parsed !== null ? (parsed as { sessionId?: unknown }).sessionId : undefined;
  if (given === undefined || given === null) return { sessionId: fromQuery };
  if (typeof given !== 'string' || given === '') {
    return problem(400, 'invalid_input', 'sessionId must be a verification session id (vs_…).');
  }
  return { sessionId: given };
}
