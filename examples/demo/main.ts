/**
 * `npm start`: the demo web app on http://127.0.0.1:${PORT:-3000}, against the built-in Stripe Identity
 * simulator, or against Stripe's test mode when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set.
 */
import { startDemo } from './app.js';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
const against =
  demo.backend.kind === 'simulator'
    ? `the built-in Stripe Identity simulator at ${demo.backend.simulatorUrl} (no Stripe account needed)`
    : 'Stripe test mode';
console.log(`stripe-identity-kit demo: open ${demo.url}`);
console.log(`  running against ${against}`);
console.log(`  webhooks: ${demo.webhookNote}`);
console.log(`  admin view: ${demo.url}/admin · stop with Ctrl+C`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
