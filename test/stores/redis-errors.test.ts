import { describe, expect, test } from 'vitest';
import { StoreUnavailableError, StoreUnsupportedError } from '../../src/errors.js';
import { classifyRedisError } from '../../src/stores/redis/runner.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
const call = { store: 'redis', operation: 'claimEvent' };

describe('Redis replies: permanent refusals versus passing conditions', () => {
  test.each([
    "ERR unknown command 'EVALSHA', with args beginning with: ",
    "NOPERM this user has no permissions to run the 'evalsha' command",
    'ERR This Redis instance has scripting is disabled',
  ])('%s is unsupported', (message) => {
    expect(classifyRedisError(reply(message), call)).toBeInstanceOf(StoreUnsupportedError);
  });

  test.each([
    "OOM command not allowed when used memory > 'maxmemory'.",
    'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk. Commands that may modify the data set are disabled',
    "READONLY You can't write against a read only replica.",
    'LOADING Redis is loading the dataset in memory',
  ])('%s is a retryable outage', (message) => {
    const error = classifyRedisError(reply(message), call);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.retryable).toBe(true);
  });
});
