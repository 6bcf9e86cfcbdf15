/** docs/options.md is generated from optionsSchema; this fails when the checked-in file is stale. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { OPTIONS_DOC_PATH, renderOptionsDoc } from '../../scripts/options-doc.js';

test('docs/options.md matches optionsSchema (run `npm run docs:options` after changing an option)', () => {
  expect(readFileSync(OPTIONS_DOC_PATH, 'utf8')).toBe(renderOptionsDoc());
});

test('the reference names every option with its default', () => {
  const doc = renderOptionsDoc();
  for (const row of ['| `limits.maxSubmissions` |', '| `webhooks.toleranceSeconds` |', '| `on.verified` |']) {
    expect(doc).toContain(row);
  }
  expect(doc).toMatch(/\| `limits\.maxSubmissions` \| `number \(integer, > 0\)` \| `3` \|/);
});
