/** Prefix of the owner of a record whose user asked for deletion: `redacted:<pseudonym>`. */
export const TOMBSTONE_PREFIX = 'redacted:';

/** The attempt-ledger subject of a record's owner: the pseudonym, with or without the tombstone prefix. */
export function ledgerSubject(owner: string): string {
  return owner.startsWith(TOMBSTONE_PREFIX) ? owner.slice(TOMBSTONE_PREFIX.length) : owner;
}

/** Whether the owner is a redaction tombstone (the user asked for deletion). */
export function isTombstone(owner: string): boolean {
  return owner.startsWith(TOMBSTONE_PREFIX);
}

/**
 * The reservation id the service passes to `commitSessionSlot` to count a session it discovered (by a
 * webhook or a listing) rather than created: no reservation is ever pending under this id.
 */
export const DISCOVERED = 'discovered';
