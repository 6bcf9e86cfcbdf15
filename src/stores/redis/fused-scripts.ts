import { lua } from './scripts.js';

/**
 * KEYS: session, owner index, ledger, ledger sessions, submissions, pointer, event claim, event to
 * complete (the last three repeat the session key when unused, so that a cluster sees one slot).
 * ARGV: [1] 'update'|'insert', [2] owner, [3] body, [4] createdAt, [5] sessionId, [6] expected version,
 * [7] owner-index prefix with `{tag}:`, [8] count '1'|'0', [9] fallback ttl, [10] report id or '',
 * [11] submission time, [12] claim '1'|'0', [13] now, [14] lease end, [15] claim ttl, [16] list '1'|'0',
 * [17] session prefix with `{tag}:`, [18] pointer '1'|'0', [19] tag, [20] complete '1'|'0',
 * [21] retention end, [22] retention ttl.
 * Returns {0} when the write did not take effect, else {1, owner, version, counted, claim, id, v, d, …}.
 * The same steps as updateSession/insertSession, commitSlot, recordSubmission, claimEvent, listSessions.
 */
export const writeSession = lua(
  'writeSession',
  `local owner, version
if ARGV[1] == 'update' then
  local current = redis.call('HMGET', KEYS[1], 'u', 'v')
  if not current[1] or current[2] ~= ARGV[6] then return {0} end
  version = redis.call('HINCRBY', KEYS[1], 'v', 1)
  redis.call('HSET', KEYS[1], 'd', ARGV[3])
  redis.call('ZADD', ARGV[7] .. current[1], ARGV[4], ARGV[5])
  owner = current[1]
else
  if ARGV[18] == '1' then
    local pointed = redis.call('GET', KEYS[6])
    if pointed and pointed ~= ARGV[19] then return {0} end
    if not pointed then redis.call('SET', KEYS[6], ARGV[19]) end
  end
  if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
  redis.call('HSET', KEYS[1], 'u', ARGV[2], 'v', 1, 'd', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  owner = ARGV[2]
  version = 1
  if ARGV[8] == '1' and redis.call('ZADD', KEYS[4], 'NX', ARGV[4], ARGV[5]) == 1 then
    redis.call('HINCRBY', KEYS[3], 'ordinals', 1)
    redis.call('HSET', KEYS[3], 'reconcile', 0)
    local ttl = redis.call('HGET', KEYS[3], 'ttl') or ARGV[9]
    redis.call('PEXPIRE', KEYS[3], ttl)
    redis.call('PEXPIRE', KEYS[4], ttl)
  end
end
local counted = 0
if ARGV[10] ~= '' then
  counted = redis.call('ZADD', KEYS[5], 'NX', ARGV[11], ARGV[10])
  if counted == 1 then redis.call('PEXPIRE', KEYS[5], redis.call('HGET', KEYS[3], 'ttl') or ARGV[9]) end
end
local claim = ''
if ARGV[12] == '1' then
  local current = redis.call('HMGET', KEYS[7], 's', 'until')
  if current[1] and tonumber(current[2]) > tonumber(ARGV[13]) then
    claim = current[1]
  else
    redis.call('HSET', KEYS[7], 's', 'in_flight', 'until', ARGV[14])
    redis.call('PEXPIRE', KEYS[7], ARGV[15])
    claim = 'claimed'
  end
end
if ARGV[20] == '1' then
  redis.call('HSET', KEYS[8], 's', 'done', 'until', ARGV[21])
  redis.call('PEXPIRE', KEYS[8], ARGV[22])
end
local out = {1, owner, version, counted, claim}
if ARGV[16] == '1' then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    local found = redis.call('HMGET', ARGV[17] .. id, 'u', 'v', 'd')
    if found[1] == owner then
      out[#out + 1] = id
      out[#out + 1] = found[2]
      out[#out + 1] = found[3]
    else
      redis.call('ZREM', KEYS[2], id)
    end
  end
end
return out`,
);

/**
 * KEYS: the events to complete, then the events to release. ARGV: number to complete, retention end,
 * ttl. `completeEvent` and `releaseEvent` of each, in one script (single node only).
 */
export const settleEvents = lua(
  'settleEvents',
  `local completing = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  if i <= completing then
    redis.call('HSET', key, 's', 'done', 'until', ARGV[2])
    redis.call('PEXPIRE', key, ARGV[3])
  elseif redis.call('HGET', key, 's') == 'in_flight' then
    redis.call('DEL', key)
  end
end
return 1`,
);
