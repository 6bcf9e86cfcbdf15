/** `npm run bench`: every benchmark, each printed as ratios against a baseline run in the same process. */
import { runApiCallsBench } from './api-calls.js';
import { runWebhooksBench } from './webhooks.js';

await runApiCallsBench();
await runWebhooksBench();
await (await import('./stores.js')).runStoresBench();
await (await import('./transports.js')).runTransportsBench();
