/**
 * `npm start`: the demo web app on http://127.0.0.1:${PORT:-3000}, against the built-in Stripe Identity
 * simulator, or against Stripe's test mode when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set.
 */
import { isIdentityKitError } from 'stripe-identity-kit';
import { type RunningDemo, startDemo } from './app.js';

const port = Number(process.env.PORT ?? 3000);
let demo: RunningDemo;
try {
  demo = await startDemo({ port, host: process.env.HOST ?? '127.0.0.1' });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is in use: run PORT=${port + 1} npm start (or stop what uses it).`);
  } else if (isIdentityKitError(error)) {
    console.error(`The demo cannot start: ${error.message}`);
  } else {
    throw error;
  }
  process.exit(1);
}
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
