import { StoreUnsupportedError } from '../../errors.js';
import { describeError } from '../shared/bounded.js';
import { isReplyError, LUA_HINT, type RedisClient } from './runner.js';

/** Replies that describe a passing state of a healthy server, not a refusal. */
const TRANSIENT = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)/;
const PROBE = 'sik-lua-ok';
const MINIMUM_MAJOR = 5;

/**
 * The startup check of the Redis store: a Lua probe must round-trip, and the server must be Redis 5 or
 * later. Connection problems are rethrown as they are (the caller maps them to "unavailable").
 */
export async function verifyRedis(redis: RedisClient): Promise<void> {
  if (typeof redis.eval !== 'function' || typeof redis.evalsha !== 'function') {
    throw new StoreUnsupportedError(`The Redis client has no eval/evalsha. ${LUA_HINT}`);
  }
  let reply: unknown;
  try {
    reply = await redis.eval('return ARGV[1]', 0, PROBE);
  } catch (error) {
    if (isReplyError(error) && !TRANSIENT.test(error.message)) {
      throw new StoreUnsupportedError(`Redis refused a Lua script: ${describeError(error)}. ${LUA_HINT}`);
    }
    throw error;
  }
  if (reply !== PROBE) {
    throw new StoreUnsupportedError(`Redis answered a Lua probe with ${JSON.stringify(reply)}. ${LUA_HINT}`);
  }
  let info = '';
  try {
    info = await redis.info('server');
  } catch (error) {
    // Some managed services disable INFO; scripts working is what matters.
    if (!isReplyError(error)) throw error;
  }
  const major = /redis_version:(\d+)\./.exec(info)?.[1];
  if (major !== undefined && Number(major) < MINIMUM_MAJOR) {
    throw new StoreUnsupportedError(
      `The Redis store needs Redis ${MINIMUM_MAJOR} or later; this server runs ${major}.x. Upgrade the server.`,
    );
  }
}
