import type { LinkTakeInput, ReserveSlotInput, SlotReservation } from '../contract.js';
import type { D1ResultLike } from './binding.js';
import { changes, rows, times } from './results.js';

/**
 * The answer of a reservation batch: the conditional update's returned row means reserved; otherwise the
 * ledger row and the window's sessions, read in the same transaction, say exactly what refused it.
 */
export function readReservation(
  results: {
    reserved: D1ResultLike | undefined;
    ledger: D1ResultLike | undefined;
    inWindow: D1ResultLike | undefined;
  },
  input: ReserveSlotInput,
  reservationId: string,
): SlotReservation {
  const taken = rows(results.reserved)[0];
  if (taken) {
    return {
      outcome: 'reserved',
      reservationId,
      ordinal: Number(taken.ordinals) + 1,
      reconcile: Number(taken.reconcile) === 1,
    };
  }
  const pending = rows(results.ledger)[0];
  const until = Number(pending?.pending_until ?? 0);
  if (pending?.pending_id != null && until > input.now) return { outcome: 'busy', until };
  const created = times(results.inWindow, 'created_at');
  const oldest = created[created.length - input.limit] ?? input.now;
  return { outcome: 'limit', retryAt: oldest + input.windowMs };
}

/** The answer of a link-take batch: taken when the guarded insert wrote a row, else when the next is allowed. */
export function readLinkTake(
  taken: D1ResultLike | undefined,
  inWindow: D1ResultLike | undefined,
  take: LinkTakeInput,
): number | null {
  if (changes(taken) > 0) return null;
  const at = times(inWindow, 'at');
  return (at[at.length - take.limit] ?? take.now) + take.windowMs;
}
