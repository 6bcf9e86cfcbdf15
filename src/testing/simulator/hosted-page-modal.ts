/**
 * The modal flow offline: a stand-in for Stripe.js (`Stripe(key).verifyIdentity(clientSecret)`) served by
 * the simulator at `/verify/stripe.js`. It opens the hosted page for the client secret
 * (`/verify/modal/<client_secret>`) in an iframe over the page; the iframe posts the result back when the
 * user answers, and closing the modal resolves with `session_cancelled`, as Stripe.js does.
 */
import type { PageResponse } from './hosted-page.js';

/** Path segment that marks a hosted page opened by the modal (its token is the client secret). */
export const MODAL_SEGMENT = '/modal/';

/** The stand-in's file name, under the hosted pages' prefix. */
export const STRIPE_JS_FILE = 'stripe.js';

/** `type` of the message the modal's iframe posts to its parent. */
const MESSAGE_TYPE = 'stripe-identity-simulator';

// Plain ES5 so that any browser under test runs it; the page origin comes from the script's own URL.
const SCRIPT = `(function () {
  var script = document.currentScript;
  var base = script ? script.src.replace(/\\/stripe\\.js(\\?.*)?$/, '') : '';
  function verifyIdentity(clientSecret) {
    return new Promise(function (resolve) {
      if (typeof clientSecret !== 'string' || clientSecret.indexOf('_secret_') < 0) {
        resolve({ error: { type: 'validation_error', code: 'invalid_client_secret', message: 'verifyIdentity needs the session client_secret.' } });
        return;
      }
      var overlay = document.createElement('div');
      overlay.setAttribute('data-simulator-modal', '');
      overlay.setAttribute('role', 'dialog');
      overlay.setAttribute('aria-modal', 'true');
      overlay.style.cssText = 'position:fixed;inset:0;background:rgba(15,23,42,.55);display:flex;align-items:center;justify-content:center;z-index:2147483647';
      var box = document.createElement('div');
      box.style.cssText = 'position:relative;background:#fff;border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden';
      var frame = document.createElement('iframe');
      frame.title = 'Verify your identity (simulated Stripe modal)';
      frame.src = base + '${MODAL_SEGMENT}' + encodeURIComponent(clientSecret);
      frame.style.cssText = 'display:block;width:min(520px,92vw);height:min(640px,85vh);border:0';
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = '\\u00d7';
      close.setAttribute('aria-label', 'Close');
      close.setAttribute('data-simulator-close', '');
      close.style.cssText = 'position:absolute;top:6px;right:10px;font-size:22px;border:0;background:none;cursor:pointer';
      function finish(result) {
        window.removeEventListener('message', onMessage);
        if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
        resolve(result);
      }
      function onMessage(event) {
        if (event.source !== frame.contentWindow || !event.data || event.data.type !== '${MESSAGE_TYPE}') return;
        finish(event.data.result || {});
      }
      close.addEventListener('click', function () {
        finish({ error: { type: 'validation_error', code: 'session_cancelled', message: 'The user closed the verification modal.' } });
      });
      window.addEventListener('message', onMessage);
      box.appendChild(close);
      box.appendChild(frame);
      overlay.appendChild(box);
      document.body.appendChild(overlay);
    });
  }
  window.Stripe = function () { return { verifyIdentity: verifyIdentity }; };
})();
`;

/** True for the stand-in's path (`/verify/stripe.js`, or `/start/stripe.js` on the in-process origin). */
export function isStripeJsPath(path: string): boolean {
  return path.endsWith(`/${STRIPE_JS_FILE}`);
}

/** True for a hosted page opened by the modal stand-in. */
export function isModalPath(path: string): boolean {
  return path.includes(MODAL_SEGMENT);
}

/** The stand-in script itself. */
export function stripeJsResponse(): PageResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
    body: SCRIPT,
  };
}

/**
 * What the modal's iframe shows after an answer: a page that hands the result to the opener page and
 * closes the modal. A cancel resolves like a closed modal; a submission resolves without an error (the
 * outcome arrives by webhook, as with Stripe).
 */
export function modalResultPage(outcome: string): PageResponse {
  const result =
    outcome === 'cancel'
      ? {
          error: {
            type: 'validation_error',
            code: 'session_cancelled',
            message: 'The user closed the verification modal.',
          },
        }
      : {};
  // The message carries no secret, so any parent may read it; JSON in a script is escaped for `</`.
  const message = JSON.stringify({ type: MESSAGE_TYPE, result }).replace(/</g, '\\u003c');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Verification submitted</title></head>\n<body><main><h1>Verification submitted</h1><p>You can close this window.</p></main>\n<script>parent.postMessage(${message}, '*');</script></body></html>\n`,
  };
}
