import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, for EVALSHA with a fallback to EVAL. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

export function lua(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/*
 * Each multi-step operation is one script, so Redis runs it without interleaving. Times arrive as ARGV
 * from the caller's `now`: decisions never read Redis's clock, and TTLs (PEXPIRE) only collect garbage.
 */

/*
 * Session records live in their subject's slot (`session:{tag}:id`); the pointer `session-slot:id` names
 * the tag. Scripts marked "single node" also read the pointer, which sits in another slot: the store runs
 * them only on a single Redis and does the same in two steps on a cluster.
 */

/** Lua: claim the pointer KEYS[p] for tag ARGV[t]; sets `free` false when another slot holds the id. */
const CLAIM_POINTER = (p: number, t: number) => `local pointed = redis.call('GET', KEYS[${p}])
if not pointed then redis.call('SET', KEYS[${p}], ARGV[${t}]) elseif pointed ~= ARGV[${t}] then free = false end`;

/** KEYS: pointer. ARGV: tag. Returns the tag that holds the id (ARGV[1] when it was free). */
export const claimPointer = lua(
  'claimPointer',
  `local pointed = redis.call('GET', KEYS[1])
if pointed then return pointed end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]`,
);

/**
 * KEYS: session, owner index[, pointer]. ARGV: owner, body, createdAt, sessionId, tag. With the pointer
 * (single node) it is claimed first. Returns 1 when inserted.
 */
export const insertSession = lua(
  'insertSession',
  `local free = true
if #KEYS > 2 then ${CLAIM_POINTER(3, 5)} end
if not free or redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'u', ARGV[1], 'v', 1, 'd', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`,
);

/** KEYS: pointer (single node). ARGV: session prefix, sessionId. Returns {owner, version, body, tag}. */
export const getSession = lua(
  'getSession',
  `local tag = redis.call('GET', KEYS[1])
if not tag then return false end
local found = redis.call('HMGET', ARGV[1] .. '{' .. tag .. '}:' .. ARGV[2], 'u', 'v', 'd')
if not found[1] then return false end
return {found[1], found[2], found[3], tag}`,
);

/**
 * KEYS: session. ARGV: expected version, body, createdAt, sessionId, owner-index prefix with `{tag}:`.
 * Returns {owner, version}, 0 on a version conflict, or -1 when no record is at this key.
 */
export const updateSession = lua(
  'updateSession',
  `local current = redis.call('HMGET', KEYS[1], 'u', 'v')
if not current[1] then return -1 end
if current[2] ~= ARGV[1] then return 0 end
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'd', ARGV[2])
redis.call('ZADD', ARGV[5] .. current[1], ARGV[3], ARGV[4])
return {current[1], version}`,
);

/**
 * KEYS: session. ARGV: owner-index prefix with `{tag}:`, sessionId. Returns 1 when a record was deleted.
 * The pointer stays: it names only a slot, and a later insert of the id (a tombstone) needs the same one.
 */
export const deleteSession = lua(
  'deleteSession',
  `local owner = redis.call('HGET', KEYS[1], 'u')
if not owner then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[1] .. owner, ARGV[2])
return 1`,
);

/** KEYS: owner index. ARGV: session prefix with `{tag}:`, owner. Returns a flat list {id, version, body, …}. */
export const listSessions = lua(
  'listSessions',
  `local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local found = redis.call('HMGET', ARGV[1] .. id, 'u', 'v', 'd')
  if found[1] == ARGV[2] then
    out[#out + 1] = id
    out[#out + 1] = found[2]
    out[#out + 1] = found[3]
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`,
);

/**
 * KEYS: ledger, ledger sessions, submissions. ARGV: now, since, limit, lease end, reservationId, ttl.
 * Returns {'busy', until} | {'limit', oldest counted time or nothing} | {'reserved', ordinal, reconcile}.
 */
export const reserveSlot = lua(
  'reserveSlot',
  `local ledger = redis.call('HMGET', KEYS[1], 'pending_id', 'pending_until', 'ordinals', 'reconcile')
if ledger[1] and tonumber(ledger[2]) > tonumber(ARGV[1]) then return {'busy', ledger[2]} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
local times = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[2], '+inf', 'WITHSCORES')
local count = #times / 2
local limit = tonumber(ARGV[3])
if count >= limit then return {'limit', times[(count - limit) * 2 + 2]} end
redis.call('HSET', KEYS[1], 'pending_id', ARGV[5], 'pending_until', ARGV[4], 'ttl', ARGV[6])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
return {'reserved', tonumber(ledger[3] or '0') + 1, ledger[4] or '0'}`,
);

/**
 * KEYS: ledger, ledger sessions, session, owner index[, pointer]. ARGV: reservationId, owner, body,
 * createdAt, sessionId, fallback ttl, insert ('1' insert the record if missing, '0' count only), tag.
 * The ledger's sessions are keyed by session id, so a session is counted once whoever recorded it first.
 * With the pointer (single node) it is claimed first. Returns 1 when the reservation was still held.
 */
export const commitSlot = lua(
  'commitSlot',
  `local free = ARGV[7] == '1'
if free and #KEYS > 4 then ${CLAIM_POINTER(5, 8)} end
local held = 0
if redis.call('HGET', KEYS[1], 'pending_id') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'pending_id', 'pending_until')
  held = 1
end
if redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[5]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'ordinals', 1)
  redis.call('HSET', KEYS[1], 'reconcile', 0)
  local ttl = redis.call('HGET', KEYS[1], 'ttl') or ARGV[6]
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
if free and redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('HSET', KEYS[3], 'u', ARGV[2], 'v', 1, 'd', ARGV[3])
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
end
return held`,
);

/**
 * KEYS: ledger. ARGV: reservationId, mode ('0' clean, '1' indeterminate, '2' retire the key), fallback
 * ttl. Returns 1 when released.
 */
export const releaseSlot = lua(
  'releaseSlot',
  `if redis.call('HGET', KEYS[1], 'pending_id') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'pending_id', 'pending_until')
if ARGV[2] == '2' then
  redis.call('HINCRBY', KEYS[1], 'ordinals', 1)
  redis.call('HSET', KEYS[1], 'reconcile', 0)
elseif ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'reconcile', 1)
end
if ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[1], redis.call('HGET', KEYS[1], 'ttl') or ARGV[3]) end
return 1`,
);

/**
 * KEYS: link window (sorted set of take times). ARGV: now, since, limit, ttl. Returns -1 when taken, else
 * the time of the take that must leave the window before the next one is allowed.
 */
export const takeLink = lua(
  'takeLink',
  `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local times = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], ARGV[1], 'WITHSCORES')
local count = #times / 2
local limit = tonumber(ARGV[3])
if count >= limit then return tonumber(times[(count - limit) * 2 + 2]) end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1] .. ':' .. redis.call('ZCARD', KEYS[1]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return -1`,
);

/** KEYS: ledger, submissions. ARGV: reportId, at, fallback ttl. Returns 1 when counted. */
export const recordSubmission = lua(
  'recordSubmission',
  `local added = redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
if added == 1 then redis.call('PEXPIRE', KEYS[2], redis.call('HGET', KEYS[1], 'ttl') or ARGV[3]) end
return added`,
);

/** KEYS: ledger sessions, submissions. ARGV: since. Returns {{member, time, …}, {member, time, …}}. */
export const attemptUsage = lua(
  'attemptUsage',
  `return {
  redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES'),
  redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'WITHSCORES')
}`,
);

/** KEYS: event. ARGV: now, lease end, ttl. Returns 'claimed', 'in_flight' or 'done'. */
export const claimEvent = lua(
  'claimEvent',
  `local current = redis.call('HMGET', KEYS[1], 's', 'until')
if current[1] and tonumber(current[2]) > tonumber(ARGV[1]) then return current[1] end
redis.call('HSET', KEYS[1], 's', 'in_flight', 'until', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'claimed'`,
);

/** KEYS: event. ARGV: retention end, ttl. */
export const completeEvent = lua(
  'completeEvent',
  `redis.call('HSET', KEYS[1], 's', 'done', 'until', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`,
);

/** KEYS: event. Drops the claim only while it is in flight. */
export const releaseEvent = lua(
  'releaseEvent',
  `if redis.call('HGET', KEYS[1], 's') == 'in_flight' then redis.call('DEL', KEYS[1]) end
return 1`,
);

/**
 * KEYS: event, session pointer (single node). ARGV: now, lease end, ttl, session prefix, sessionId.
 * `claimEvent` and `getSession` in one round trip: returns {claim, owner, version, body} or {claim}.
 */
export const claimEventWithSession = lua(
  'claimEventWithSession',
  `local claim = 'claimed'
local current = redis.call('HMGET', KEYS[1], 's', 'until')
if current[1] and tonumber(current[2]) > tonumber(ARGV[1]) then
  claim = current[1]
else
  redis.call('HSET', KEYS[1], 's', 'in_flight', 'until', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
local tag = redis.call('GET', KEYS[2])
if not tag then return {claim} end
local found = redis.call('HMGET', ARGV[4] .. '{' .. tag .. '}:' .. ARGV[5], 'u', 'v', 'd')
if not found[1] then return {claim} end
return {claim, found[1], found[2], found[3]}`,
);
