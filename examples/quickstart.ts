/**
 * End-to-end quickstart in the terminal, against the in-repo Stripe Identity simulator (no network):
 * a user starts, fails a check, resumes the same session, passes; an abuser clicks a thousand times.
 * Run with `npm run quickstart`.
 */
import { MemoryStore, VerificationService } from 'stripe-identity-kit';
import { createTestStripe, IdentitySimulator } from 'stripe-identity-kit/testing';

const secret = 'whsec_quickstart_0123456789abcdef';
const sim = new IdentitySimulator({ seed: 42 });
const stripe = createTestStripe(await sim.listen());

const identity = new VerificationService({
  stripe,
  store: new MemoryStore(),
  webhookSecret: secret,
  returnUrl: 'https://app.example.com/verify/return',
  session: { type: 'document', options: { document: { require_matching_selfie: true } } },
  limits: { maxSubmissions: 3, maxSessions: 5, windowDays: 30 },
  now: () => sim.now(),
  onAlternative: ({ reason }) => console.log(`  ↳ onAlternative: offer manual review (${reason})`),
  on: {
    processing: ({ sessionId }) => console.log(`  ↳ webhook: ${sessionId} processing`),
    requiresInput: ({ sessionId, lastErrorCode }) =>
      console.log(`  ↳ webhook: ${sessionId} requires_input (${lastErrorCode})`),
    verified: ({ sessionId }) => console.log(`  ↳ webhook: ${sessionId} verified`),
  },
});
sim.addWebhookEndpoint({
  handler: identity.webhooks.fetch,
  secret,
  enabledEvents: [
    'identity.verification_session.processing',
    'identity.verification_session.verified',
    'identity.verification_session.requires_input',
  ],
});

const show = (label: string, value: unknown) => console.log(`${label.padEnd(34)} ${JSON.stringify(value)}`);
const link = (result: Awaited<ReturnType<typeof identity.start>>) =>
  result.status === 'redirect'
    ? { status: result.status, sessionId: result.sessionId, url: '<single-use link, not stored>' }
    : result;

try {
  console.log('1. Ada opens the verification flow');
  const first = await identity.start({ id: 'user_ada' });
  show('start()', link(first));
  if (first.status !== 'redirect') throw new Error('expected a link');

  console.log('2. Her document has expired; Stripe sends webhooks');
  await sim.submit(first.sessionId, 'document_expired');
  await sim.flushWebhooks();
  show('status()', await identity.status('user_ada'));

  console.log('3. She comes back: the same session is reused with a fresh link (no new charge)');
  const again = await identity.start({ id: 'user_ada' });
  show('start()', link(again));

  console.log('4. She passes');
  await sim.submit(first.sessionId, 'verified');
  await sim.flushWebhooks();
  show('start()', await identity.start({ id: 'user_ada' }));

  console.log('5. An abuser clicks "verify" 1,000 times');
  const sessionsBefore = sim.sessions().length;
  const callsBefore = sim.requests.length;
  const outcomes = new Map<string, number>();
  for (let click = 0; click < 1000; click += 1) {
    const result = await identity.start({ id: 'user_abuser' });
    const key = result.status === 'limit_reached' ? `limit_reached (${result.limit})` : result.status;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  show('answers', Object.fromEntries(outcomes));
  show('sessions created for 1,000 clicks', sim.sessions().length - sessionsBefore);
  show('Stripe API calls for 1,000 clicks', sim.requests.length - callsBefore);
  console.log('\nDone: see README.md for the HTTP routes, webhooks and stores.');
} finally {
  await sim.close();
}
