import type { Cluster, Redis } from 'ioredis';
import { StoreUnsupportedError } from '../../errors.js';
import { type DriverErrorClassifier, describeError, unavailable } from '../shared/bounded.js';
import type { LuaScript } from './scripts.js';

/** A single Redis (or a primary) or a Redis Cluster: the store runs on both. */
export type RedisClient = Redis | Cluster;

/** True when Redis itself answered with an error (as opposed to a connection failure). */
export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

/** Replies meaning "this server will never run our scripts", as opposed to a passing condition. */
const REFUSED = /^(ERR unknown command|NOPERM)|scripting is disabled|not allowed from script/i;

/**
 * Replies meaning "not now": memory full (OOM), persistence failing (MISCONF), a replica or a missing
 * quorum. They also read "not allowed" or "disabled", but a retry can succeed once an operator acts.
 */
const TRANSIENT =
  /^(OOM|MISCONF|READONLY|NOREPLICAS|LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MOVED|ASK)\b/;

/** The hint every "unsupported" message ends with. */
export const LUA_HINT =
  'The Redis store needs Lua scripting (EVAL/EVALSHA) so that each operation is atomic; allow it for ' +
  'this connection (ACL +@scripting) or use the PostgreSQL store.';

/** Redis errors: a refused command is permanent (`StoreUnsupportedError`), anything else is unavailability. */
export const classifyRedisError: DriverErrorClassifier = (error, call) => {
  if (isReplyError(error) && !TRANSIENT.test(error.message) && REFUSED.test(error.message)) {
    return new StoreUnsupportedError(`Redis refused ${call.operation}: ${describeError(error)}. ${LUA_HINT}`);
  }
  return unavailable(error, call);
};

/** Runs a script by its SHA-1 and loads it with EVAL the first time the server does not know it. */
export async function runScript(
  redis: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isReplyError(error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await redis.eval(script.source, keys.length, ...keys, ...args);
  }
}
