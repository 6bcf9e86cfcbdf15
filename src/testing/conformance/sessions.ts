import { sessionRecord, T0 } from './fixtures.js';
import type { ConformanceCase } from './types.js';

/** Cases for the session records: insert, compare-and-set, list, delete. */
export const sessionCases: ConformanceCase[] = [
  {
    title: 'insertSession stores version 1 and refuses an id that exists',
    async run({ store, expect }) {
      const record = sessionRecord({ sessionId: 'vs_insert' });
      expect(await store.insertSession(record)).toEqual({ ...record, version: 1 });
      expect(await store.getSession('vs_insert')).toEqual({ ...record, version: 1 });
      expect(await store.insertSession({ ...record, status: 'verified', owner: 'user_other' })).toBe(null);
      expect(await store.getSession('vs_insert')).toEqual({ ...record, version: 1 });
    },
  },
  {
    title: 'a record carrying extra fields (a link, a client secret) is stored without them',
    async run({ store, expect }) {
      const record = sessionRecord({ sessionId: 'vs_extra' });
      const richer = { ...record, url: 'https://verify.example/start/x', client_secret: 'vs_extra_secret_x' };
      await store.insertSession(richer);
      expect(await store.getSession('vs_extra')).toEqual({ ...record, version: 1 });
      await store.updateSession({ ...richer, status: 'processing', version: 1 });
      expect(await store.getSession('vs_extra')).toEqual({ ...record, status: 'processing', version: 2 });
      const listed = JSON.stringify(await store.listSessions(record.owner));
      expect(/verify\.example|_secret_/.test(listed)).toBe(false);
    },
  },
  {
    title: 'unknown ids: get is null, update is null, delete is false',
    async run({ store, expect }) {
      expect(await store.getSession('vs_missing')).toBe(null);
      expect(await store.updateSession({ ...sessionRecord({ sessionId: 'vs_missing' }), version: 1 })).toBe(
        null,
      );
      expect(await store.deleteSession('vs_missing')).toBe(false);
      expect(await store.getSession('vs_missing')).toBe(null);
    },
  },
  {
    title: 'updateSession is a compare-and-set on version, and increments it',
    async run({ store, expect }) {
      const inserted = await store.insertSession(sessionRecord({ sessionId: 'vs_cas' }));
      if (!inserted) throw new Error('insertSession returned null for a new id');
      const processing = { ...inserted, status: 'processing' as const, observedAt: inserted.observedAt + 5 };
      expect(await store.updateSession(processing)).toEqual({ ...processing, version: 2 });
      expect(await store.updateSession({ ...inserted, status: 'canceled' })).toBe(null);
      expect(await store.getSession('vs_cas')).toEqual({ ...processing, version: 2 });
      const verified = { ...processing, status: 'verified' as const, version: 2 };
      expect(await store.updateSession(verified)).toEqual({ ...verified, version: 3 });
      expect(await store.updateSession({ ...verified, version: 4 })).toBe(null);
      expect((await store.getSession('vs_cas'))?.version).toBe(3);
    },
  },
  {
    title: 'updateSession never changes the owner of a record',
    async run({ store, expect }) {
      const inserted = await store.insertSession(
        sessionRecord({ sessionId: 'vs_owner', owner: 'user_alice' }),
      );
      if (!inserted) throw new Error('insertSession returned null for a new id');
      const updated = await store.updateSession({ ...inserted, owner: 'user_mallory', status: 'canceled' });
      expect(updated?.owner).toBe('user_alice');
      expect(updated?.status).toBe('canceled');
      expect((await store.getSession('vs_owner'))?.owner).toBe('user_alice');
      expect(await store.listSessions('user_mallory')).toEqual([]);
      expect((await store.listSessions('user_alice')).map((record) => record.sessionId)).toEqual([
        'vs_owner',
      ]);
    },
  },
  {
    title: 'every field round-trips exactly, including nulls, booleans and odd characters',
    async run({ store, expect }) {
      const odd = sessionRecord({
        sessionId: 'vs_odd:{1}*?"\'\\ ü',
        owner: 'user:{x} *?[a] "quoted" \'single\' ü 😀',
        status: 'requires_input',
        lastErrorCode: 'document_expired',
        reportId: 'vr_1',
        observedAt: 1_767_225_999,
        createdAt: T0 + 123,
        updatedAt: T0 + 456,
        livemode: true,
        redaction: 'waiting_for_processing',
      });
      const plain = sessionRecord({ sessionId: 'vs_plain', livemode: false, redaction: null });
      await store.insertSession(odd);
      await store.insertSession(plain);
      expect(await store.getSession(odd.sessionId)).toEqual({ ...odd, version: 1 });
      expect(await store.getSession('vs_plain')).toEqual({ ...plain, version: 1 });
      expect(await store.listSessions(odd.owner)).toEqual([{ ...odd, version: 1 }]);
      for (const redaction of ['redaction_pending', 'redacted', null] as const) {
        const current = await store.getSession(odd.sessionId);
        if (!current) throw new Error('record vanished');
        expect((await store.updateSession({ ...current, redaction, lastErrorCode: null }))?.redaction).toBe(
          redaction,
        );
      }
    },
  },
  {
    title: "listSessions returns a user's records newest first, and only theirs",
    async run({ store, expect }) {
      await store.insertSession(sessionRecord({ sessionId: 'vs_b', owner: 'user_a', createdAt: T0 + 2000 }));
      await store.insertSession(sessionRecord({ sessionId: 'vs_c', owner: 'user_a', createdAt: T0 }));
      await store.insertSession(sessionRecord({ sessionId: 'vs_other', owner: 'user_b', createdAt: T0 + 1 }));
      await store.insertSession(sessionRecord({ sessionId: 'vs_a', owner: 'user_a', createdAt: T0 + 1000 }));
      expect((await store.listSessions('user_a')).map((record) => record.sessionId)).toEqual([
        'vs_b',
        'vs_a',
        'vs_c',
      ]);
      expect((await store.listSessions('user_b')).map((record) => record.sessionId)).toEqual(['vs_other']);
      expect(await store.listSessions('user_nobody')).toEqual([]);
      expect(await store.listSessions('user_')).toEqual([]);
    },
  },
  {
    title: 'returned records are copies: changing one changes nothing stored',
    async run({ store, expect }) {
      const inserted = await store.insertSession(sessionRecord({ sessionId: 'vs_copy' }));
      if (!inserted) throw new Error('insertSession returned null for a new id');
      inserted.status = 'verified';
      const read = await store.getSession('vs_copy');
      if (!read) throw new Error('record vanished');
      read.version = 99;
      expect(await store.getSession('vs_copy')).toEqual({
        ...sessionRecord({ sessionId: 'vs_copy' }),
        version: 1,
      });
    },
  },
  {
    title: 'deleteSession removes the record from get and list, once',
    async run({ store, expect }) {
      await store.insertSession(sessionRecord({ sessionId: 'vs_del', owner: 'user_del' }));
      await store.insertSession(
        sessionRecord({ sessionId: 'vs_keep', owner: 'user_del', createdAt: T0 - 1 }),
      );
      expect(await store.deleteSession('vs_del')).toBe(true);
      expect(await store.deleteSession('vs_del')).toBe(false);
      expect(await store.getSession('vs_del')).toBe(null);
      expect((await store.listSessions('user_del')).map((record) => record.sessionId)).toEqual(['vs_keep']);
      expect(await store.insertSession(sessionRecord({ sessionId: 'vs_del', owner: 'user_del' }))).toEqual({
        ...sessionRecord({ sessionId: 'vs_del', owner: 'user_del' }),
        version: 1,
      });
    },
  },
];
