import { fork } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, StoreUnavailableError, StoreUnsupportedError } from '../../src/errors.js';
import { SqliteStore } from '../../src/sqlite.js';
import { CONTEST, type ContendResult, contend } from './fixtures/sqlite-contend.js';
import { tempDir } from './helpers/temp-dir.js';

const NOW = 1_767_225_600_000;
const dir = tempDir('sqlite-store');
let files = 0;
const nextFile = () => {
  files += 1;
  return join(dir.path, `store-${files}.db`);
};
const record = (sessionId: string) => ({
  sessionId,
  owner: 'user_1',
  status: 'requires_input' as const,
  lastErrorCode: null,
  reportId: null,
  observedAt: 1,
  createdAt: NOW,
  updatedAt: NOW,
  livemode: false,
  redaction: null,
});
const slot = { limit: 3, windowMs: 60_000, now: NOW, leaseMs: 10_000 };

afterAll(() => dir.remove());

/** Forks a contender process on `filename` and resolves once it has opened the store. */
function startContender(filename: string, label: string) {
  const child = fork(join(import.meta.dirname, 'fixtures/sqlite-contender.ts'), [filename, label], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`contender ${label} exited early with ${code}`)));
  });
  const result = new Promise<ContendResult>((resolve, reject) => {
    child.on('message', (message: { result?: ContendResult }) => {
      if (message.result) resolve(message.result);
    });
    child.once('error', reject);
  });
  return { ready, result, go: () => child.send('go') };
}

describe('SqliteStore', () => {
  test('declares capabilities truthfully: a file is shared and durable, :memory: is neither', async () => {
    const file = new SqliteStore(nextFile());
    const memory = new SqliteStore(':memory:');
    expect(file.capabilities).toEqual({ atomic: true, sharedAcrossProcesses: true, durable: true });
    expect(memory.capabilities).toEqual({ atomic: true, sharedAcrossProcesses: false, durable: false });
    await file.close();
    await memory.close();
  });

  test('a file runs in WAL mode and keeps its state across reopening', async () => {
    const filename = nextFile();
    const first = new SqliteStore(filename);
    await first.insertSession(record('vs_1'));
    await first.close();
    const db = new Database(filename);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const reopened = new SqliteStore(db);
    expect((await reopened.getSession('vs_1'))?.version).toBe(1);
    await reopened.close();
    expect(db.open).toBe(true);
    db.close();
  });

  test('two instances on one file see each other: tables are created once, limits and claims are shared', async () => {
    const filename = nextFile();
    const a = new SqliteStore(filename);
    const b = new SqliteStore(filename);
    const reserved = await a.reserveSessionSlot('subj', slot);
    expect(await b.reserveSessionSlot('subj', { ...slot, now: NOW + 1 })).toEqual({
      outcome: 'busy',
      until: NOW + slot.leaseMs,
    });
    if (reserved.outcome !== 'reserved') throw new Error('expected a reservation');
    expect(await b.commitSessionSlot('subj', reserved.reservationId, record('vs_1'))).toBe(true);
    expect((await a.getSession('vs_1'))?.version).toBe(1);
    expect(await a.claimEvent('evt', { now: NOW, leaseMs: 100 })).toBe('claimed');
    expect(await b.claimEvent('evt', { now: NOW, leaseMs: 100 })).toBe('in_flight');
    await a.close();
    await b.close();
  });

  test('several OS processes reserving on one file hand out each ordinal once and stop at the limit', async () => {
    const filename = nextFile();
    const local = new SqliteStore(filename);
    const contenders = [startContender(filename, 'p1'), startContender(filename, 'p2')];
    await Promise.all(contenders.map((contender) => contender.ready));
    for (const contender of contenders) contender.go();
    const results = [await contend(local, 'parent'), ...(await Promise.all(contenders.map((c) => c.result)))];
    const ordinals = results.flatMap((result) => result.ordinals).sort((x, y) => x - y);
    expect(ordinals).toEqual(Array.from({ length: CONTEST.limit }, (_, index) => index + 1));
    expect(results.flatMap((result) => result.commits).every(Boolean)).toBe(true);
    const usage = await local.attemptUsage(CONTEST.subject, { now: CONTEST.now, windowMs: CONTEST.windowMs });
    expect(usage.sessions.length).toBe(CONTEST.limit);
    await local.close();
  });

  test('a write lock held elsewhere longer than timeoutMs fails with StoreUnavailableError, then clears', async () => {
    const filename = nextFile();
    const store = new SqliteStore(filename, { timeoutMs: 50 });
    const other = new Database(filename);
    other.exec('BEGIN IMMEDIATE');
    await expect(store.reserveSessionSlot('subj', slot)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.getSession('vs_1')).resolves.toBe(null);
    other.exec('ROLLBACK');
    expect((await store.reserveSessionSlot('subj', slot)).outcome).toBe('reserved');
    other.close();
    await store.close();
  });

  test('a closed store rejects every call with StoreUnavailableError', async () => {
    const store = new SqliteStore(':memory:');
    await store.close();
    await expect(store.getSession('vs_1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.claimEvent('evt', { now: NOW, leaseMs: 1 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  test('refuses a read-only database and a file that cannot use WAL', () => {
    const filename = nextFile();
    new Database(filename).close();
    const readonly = new Database(filename, { readonly: true });
    expect(() => new SqliteStore(readonly)).toThrow(StoreUnsupportedError);
    readonly.close();
    const noWal = new Database(nextFile());
    const pragma = noWal.pragma.bind(noWal);
    // What a network file system answers: the journal mode stays "delete".
    noWal.pragma = ((source: string, options?: { simple?: boolean }) =>
      source.startsWith('journal_mode') ? 'delete' : pragma(source, options)) as typeof noWal.pragma;
    expect(() => new SqliteStore(noWal)).toThrow(/WAL/);
    noWal.close();
  });

  test('refuses a table prefix that could inject SQL, and a bad timeout', () => {
    expect(() => new SqliteStore(':memory:', { tablePrefix: 'x; DROP TABLE y' })).toThrow(ConfigError);
    expect(() => new SqliteStore(':memory:', { timeoutMs: -1 })).toThrow(ConfigError);
  });

  test('prune() drops old ledger entries and expired event markers, keeping ordinals', async () => {
    const store = new SqliteStore(':memory:');
    const input = { limit: 10, windowMs: 1000, leaseMs: 10 };
    for (const at of [NOW, NOW + 500]) {
      const reserved = await store.reserveSessionSlot('subj', { ...input, now: at });
      if (reserved.outcome !== 'reserved') throw new Error('expected a reservation');
      await store.commitSessionSlot('subj', reserved.reservationId, { ...record(`vs_${at}`), createdAt: at });
      await store.recordSubmission('subj', { reportId: `vr_${at}`, at });
    }
    await store.claimEvent('evt_old', { now: NOW, leaseMs: 100 });
    await store.completeEvent('evt_kept', { now: NOW, retainMs: 10_000 });
    expect(await store.prune({ now: NOW + 1200, windowMs: 1000 })).toEqual({ ledgerEntries: 2, events: 1 });
    expect(await store.attemptUsage('subj', { now: NOW, windowMs: 10_000_000 })).toEqual({
      sessions: [NOW + 500],
      submissions: [NOW + 500],
    });
    const next = await store.reserveSessionSlot('subj', { ...input, now: NOW + 1200 });
    expect(next.outcome === 'reserved' && next.ordinal).toBe(3);
    await store.close();
  });
});

test('SQLite refuses a table prefix it reserves for itself', () => {
  expect(() => new SqliteStore(':memory:', { tablePrefix: 'sqlite_x_' })).toThrow(ConfigError);
  expect(() => new SqliteStore(':memory:', { tablePrefix: 'SQLITE_' })).toThrow(/reserved by SQLite/);
});
