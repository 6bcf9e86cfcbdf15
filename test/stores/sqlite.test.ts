import { fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, StoreUnavailableError, StoreUnsupportedError } from '../../src/errors.js';
import { type SqliteDriverName, SqliteStore } from '../../src/sqlite.js';
import { CONTEST, type ContendResult, contend } from './fixtures/sqlite-contend.js';
import { openRaw, type RawSqlite, sqliteDrivers } from './fixtures/sqlite-drivers.js';
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
function startContender(filename: string, label: string, driver: SqliteDriverName) {
  const child = fork(join(import.meta.dirname, 'fixtures/sqlite-contender.ts'), [filename, label, driver], {
    execArgv: ['--import', 'tsx', '--no-warnings=ExperimentalWarning'],
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

/** The journal mode of a raw handle, asked the same way on both drivers. */
const journalMode = (db: RawSqlite) =>
  (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode;

/** `db` with `PRAGMA journal_mode = WAL` answered "delete", as a network file system answers it. */
function walRefused(db: RawSqlite): RawSqlite {
  return new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'prepare') return typeof value === 'function' ? value.bind(target) : value;
      return (sql: string) =>
        /journal_mode\s*=/i.test(sql) ? { get: () => ({ journal_mode: 'delete' }) } : target.prepare(sql);
    },
  });
}

for (const { driver, skip } of sqliteDrivers()) {
  // Skipped only where a driver cannot load in this process: node:sqlite needs Node >= 22.5 (absent on
  // Node 20), and CI's Node 22/24 passes set SIK_SQLITE_DRIVERS=node:sqlite because better-sqlite3 is a
  // native addon built for Node 20. The reason is printed (fixtures/sqlite-drivers.ts); every driver runs
  // on some pass of .ci/run, so each case runs once per driver across CI.
  describe.skipIf(skip !== null)(`SqliteStore on ${driver}`, () => {
    const open = (filename: string, options: { timeoutMs?: number; tablePrefix?: string } = {}) =>
      new SqliteStore(filename, { ...options, driver });

    test('declares capabilities truthfully: a file is shared and durable, :memory: is neither', async () => {
      const file = open(nextFile());
      const memory = open(':memory:');
      expect(file.driver).toBe(driver);
      expect(file.capabilities).toEqual({ atomic: true, sharedAcrossProcesses: true, durable: true });
      expect(memory.capabilities).toEqual({ atomic: true, sharedAcrossProcesses: false, durable: false });
      await file.close();
      await memory.close();
    });

    test('a file runs in WAL mode and keeps its state across reopening, also as a database you pass', async () => {
      const filename = nextFile();
      const first = open(filename);
      await first.insertSession(record('vs_1'));
      await first.close();
      const db = openRaw(driver, filename);
      expect(journalMode(db)).toBe('wal');
      const reopened = new SqliteStore(db);
      expect(reopened.driver).toBe(driver);
      expect((await reopened.getSession('vs_1'))?.version).toBe(1);
      await reopened.close();
      // A database you passed stays yours: still open after the store's close().
      expect(journalMode(db)).toBe('wal');
      db.close();
    });

    test('two instances on one file see each other: tables are created once, limits and claims are shared', async () => {
      const filename = nextFile();
      const a = open(filename);
      const b = open(filename);
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
      const local = open(filename);
      const contenders = [startContender(filename, 'p1', driver), startContender(filename, 'p2', driver)];
      await Promise.all(contenders.map((contender) => contender.ready));
      for (const contender of contenders) contender.go();
      const results = [
        await contend(local, 'parent'),
        ...(await Promise.all(contenders.map((c) => c.result))),
      ];
      const ordinals = results.flatMap((result) => result.ordinals).sort((x, y) => x - y);
      expect(ordinals).toEqual(Array.from({ length: CONTEST.limit }, (_, index) => index + 1));
      expect(results.flatMap((result) => result.commits).every(Boolean)).toBe(true);
      const usage = await local.attemptUsage(CONTEST.subject, {
        now: CONTEST.now,
        windowMs: CONTEST.windowMs,
      });
      expect(usage.sessions.length).toBe(CONTEST.limit);
      await local.close();
    });

    test('a write lock held elsewhere longer than timeoutMs fails with StoreUnavailableError, then clears', async () => {
      const filename = nextFile();
      const store = open(filename, { timeoutMs: 50 });
      const other = openRaw(driver, filename);
      other.exec('BEGIN IMMEDIATE');
      await expect(store.reserveSessionSlot('subj', slot)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.getSession('vs_1')).resolves.toBe(null);
      other.exec('ROLLBACK');
      expect((await store.reserveSessionSlot('subj', slot)).outcome).toBe('reserved');
      other.close();
      await store.close();
    });

    test('a failed step rolls the whole call back: no half-written reservation survives', async () => {
      const filename = nextFile();
      const store = open(filename);
      const other = openRaw(driver, filename);
      // Another connection drops a table the reservation writes to after reading the ledger.
      other.exec('DROP TABLE sik_ledger_sessions');
      await expect(store.reserveSessionSlot('subj', slot)).rejects.toBeInstanceOf(StoreUnavailableError);
      const ledger = other.prepare('SELECT pending_id FROM sik_ledgers WHERE subject = ?').get('subj');
      expect(ledger).toBe(undefined);
      other.close();
      await store.close();
    });

    test('a closed store rejects every call with StoreUnavailableError, and closes once', async () => {
      const store = open(':memory:');
      await store.close();
      await store.close();
      await expect(store.getSession('vs_1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.claimEvent('evt', { now: NOW, leaseMs: 1 })).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    });

    test('refuses a read-only database and a file that cannot use WAL', () => {
      const filename = nextFile();
      openRaw(driver, filename).close();
      const readonly = openRaw(driver, filename, true);
      expect(() => new SqliteStore(readonly)).toThrow(StoreUnsupportedError);
      expect(() => new SqliteStore(readonly)).toThrow(/read-only/);
      readonly.close();
      const noWal = openRaw(driver, nextFile());
      expect(() => new SqliteStore(walRefused(noWal))).toThrow(StoreUnsupportedError);
      expect(() => new SqliteStore(walRefused(noWal))).toThrow(/WAL/);
      noWal.close();
    });

    test('refuses a table prefix that could inject SQL, a bad timeout, and a database of the other driver', () => {
      expect(() => open(':memory:', { tablePrefix: 'x; DROP TABLE y' })).toThrow(ConfigError);
      expect(() => open(':memory:', { timeoutMs: -1 })).toThrow(ConfigError);
      const db = openRaw(driver, ':memory:');
      const other = driver === 'node:sqlite' ? 'better-sqlite3' : 'node:sqlite';
      expect(() => new SqliteStore(db, { driver: other })).toThrow(ConfigError);
      db.close();
    });

    test('prune() drops old ledger entries and expired event markers, keeping ordinals', async () => {
      const store = open(':memory:');
      const input = { limit: 10, windowMs: 1000, leaseMs: 10 };
      for (const at of [NOW, NOW + 500]) {
        const reserved = await store.reserveSessionSlot('subj', { ...input, now: at });
        if (reserved.outcome !== 'reserved') throw new Error('expected a reservation');
        await store.commitSessionSlot('subj', reserved.reservationId, {
          ...record(`vs_${at}`),
          createdAt: at,
        });
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
}

test('SQLite refuses a table prefix it reserves for itself, and an unknown driver', () => {
  expect(() => new SqliteStore(':memory:', { tablePrefix: 'sqlite_x_' })).toThrow(ConfigError);
  expect(() => new SqliteStore(':memory:', { tablePrefix: 'SQLITE_' })).toThrow(/reserved by SQLite/);
  expect(() => new SqliteStore(':memory:', { driver: 'sqlite3' as unknown as SqliteDriverName })).toThrow(
    ConfigError,
  );
});
