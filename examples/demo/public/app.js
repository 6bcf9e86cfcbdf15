// The demo's browser side: calls the kit's routes (same origin, so the cross-site rule lets them through)
// and renders the StartResult and StatusResult they answer. Links are used at once, never stored.
const config = JSON.parse(document.getElementById('demo-config').textContent);
const el = (id) => document.querySelector(`[data-testid="${id}"]`);

const EXPLANATIONS = {
  start: 'Not verified yet. Verification takes a photo of an ID document and a selfie.',
  resume:
    'The last check failed. Try again: your open session is reused with a fresh link, at no extra cost.',
  wait: 'Stripe is checking your document. This page updates when the result arrives by webhook.',
  done: 'You are verified.',
  alternative: 'Stripe cannot verify you online. Use the alternative below.',
  retry_later: 'No verification attempts left for now.',
};

async function call(path, method = 'GET', body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message || `HTTP ${response.status}`);
  return answer;
}

function say(text) {
  el('message').textContent = text;
}

function showAlternative(alternative, why) {
  const box = el('alternative');
  box.hidden = false;
  box.replaceChildren();
  const text = document.createElement('p');
  text.textContent = `${why} ${alternative.description ?? config.alternative.description}`;
  const link = document.createElement('a');
  link.href = alternative.url ?? config.alternative.url;
  link.textContent = 'Use the alternative path';
  link.dataset.testid = 'alternative-link';
  box.append(text, link);
}

function render(status) {
  const state = el('status');
  state.textContent = status.state;
  state.dataset.state = status.state;
  el('explanation').textContent = EXPLANATIONS[status.next] ?? '';
  el('submissions-left').textContent = `${status.submissions.left} of ${status.submissions.limit}`;
  el('sessions-left').textContent = `${status.sessions.left} of ${status.sessions.limit}`;
  el('last-error').textContent = status.lastErrorCode ?? '—';
  el('session-id').textContent = status.sessionId ?? '—';
  el('verify').textContent = status.next === 'resume' ? 'Try again' : 'Verify my identity';
  if (status.next === 'alternative') {
    showAlternative({}, `Reason: ${status.lastErrorCode}.`);
  } else if (status.next === 'retry_later') {
    const when = status.retryAt ? new Date(status.retryAt).toLocaleString() : 'later';
    showAlternative({}, `Attempts used up until ${when}.`);
  } else {
    el('alternative').hidden = true;
  }
}

async function refresh() {
  try {
    render(await call('/identity/status'));
  } catch (error) {
    say(error.message);
  }
}

/** Every StartResult case, as the README's switch. */
async function handleStart(result) {
  switch (result.status) {
    case 'redirect':
      window.location.assign(result.url);
      return;
    case 'modal': {
      const { error } = await window.Stripe(config.publishableKey).verifyIdentity(result.clientSecret);
      say(error ? `The verification window was closed (${error.code}).` : 'Submitted: Stripe is checking.');
      await call('/identity-modal/return', 'POST', { sessionId: result.sessionId });
      break;
    }
    case 'processing':
      say('Stripe is still checking your last submission.');
      break;
    case 'verified':
      say('You are already verified.');
      break;
    case 'limit_reached':
      say(`Limit reached (${result.limit}): try again after ${new Date(result.retryAt).toLocaleString()}.`);
      showAlternative(result.alternative, 'Or skip the wait:');
      break;
    case 'alternative_required':
      say(`Stripe cannot verify you online (${result.reason}).`);
      showAlternative(result.alternative, '');
      break;
  }
  await refresh();
}

async function run(action) {
  try {
    await action();
  } catch (error) {
    say(error.message);
  }
}

el('verify').addEventListener('click', () =>
  run(async () => handleStart(await call('/identity/start', 'POST'))),
);
el('verify-modal').addEventListener('click', () =>
  run(async () => handleStart(await call('/identity-modal/start', 'POST'))),
);
el('cancel').addEventListener('click', () =>
  run(async () => {
    await call('/identity/cancel', 'POST');
    say('The open session was canceled: its links no longer work.');
    await refresh();
  }),
);
el('delete-data').addEventListener('click', () =>
  run(async () => {
    const report = await call('/identity/redact', 'POST');
    const section = el('redaction-report');
    section.hidden = false;
    const body = section.querySelector('div');
    body.replaceChildren();
    const message = document.createElement('p');
    message.textContent = report.message;
    const list = document.createElement('ul');
    for (const session of report.sessions) {
      const item = document.createElement('li');
      item.textContent = `${session.sessionId}: ${session.state}`;
      list.append(item);
    }
    const done = document.createElement('p');
    done.dataset.testid = 'redaction-complete';
    done.textContent = report.complete
      ? 'Stripe confirmed every deletion.'
      : 'Stripe is finishing the deletion.';
    body.append(message, list, done);
    await refresh();
  }),
);

render(config.status);
if (new URLSearchParams(window.location.search).has('returned'))
  say('Welcome back: here is where your verification stands.');
setInterval(refresh, 1000);
