import type { IdentityStore } from '../../../src/stores/contract.js';

const record = {
  sessionId: 'vs_probe',
  owner: 'user_probe',
  status: 'requires_input' as const,
  lastErrorCode: null,
  reportId: null,
  observedAt: 1,
  createdAt: 1000,
  updatedAt: 1000,
  livemode: false,
  redaction: null,
};

/** One call of every contract method, for "every method fails the same way" checks. */
export function everyMethod(store: IdentityStore): Array<[string, () => Promise<unknown>]> {
  const now = 1_767_225_600_000;
  return [
    ['getSession', () => store.getSession('vs_probe')],
    ['listSessions', () => store.listSessions('user_probe')],
    ['insertSession', () => store.insertSession(record)],
    ['updateSession', () => store.updateSession({ ...record, version: 1 })],
    ['deleteSession', () => store.deleteSession('vs_probe')],
    [
      'reserveSessionSlot',
      () => store.reserveSessionSlot('subj', { limit: 3, windowMs: 1000, now, leaseMs: 100 }),
    ],
    ['commitSessionSlot', () => store.commitSessionSlot('subj', 'res_x', record)],
    ['releaseSessionSlot', () => store.releaseSessionSlot('subj', 'res_x')],
    ['recordSubmission', () => store.recordSubmission('subj', { reportId: 'vr_x', at: now })],
    ['attemptUsage', () => store.attemptUsage('subj', { now, windowMs: 1000 })],
    ['claimEvent', () => store.claimEvent('evt_x', { now, leaseMs: 100 })],
    ['completeEvent', () => store.completeEvent('evt_x', { now, retainMs: 100 })],
    ['releaseEvent', () => store.releaseEvent('evt_x')],
  ];
}

/** Runs every method and returns, per method, the error code it rejected with (or `resolved`). */
export async function outcomes(store: IdentityStore): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  await Promise.all(
    everyMethod(store).map(async ([name, call]) => {
      try {
        await call();
        results[name] = 'resolved';
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        results[name] = typeof code === 'string' ? code : `uncoded: ${String(error)}`;
      }
    }),
  );
  return results;
}

/** The value `outcomes` has when every method rejected with `code`. */
export function allRejectedWith(code: string): Record<string, string> {
  return Object.fromEntries(everyMethod({} as IdentityStore).map(([name]) => [name, code]));
}
