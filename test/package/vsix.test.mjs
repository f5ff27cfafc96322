// The .vsix a user installs: only what the extension needs at run time, within its size budget.
// Run after `npm run package` (npm test does both).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = path.join(root, 'ductape-webhooks.vsix');
const BUDGET_BYTES = 250 * 1024;

/** File names in a zip archive, from its central directory. */
function zipEntries(archive) {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'the .vsix is a zip archive');
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    names.push(archive.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const archive = readFileSync(VSIX);

test(`the .vsix stays within ${BUDGET_BYTES / 1024} KB`, () => {
  assert.ok(archive.length <= BUDGET_BYTES, `${(archive.length / 1024).toFixed(1)} KB`);
});

test('the .vsix carries only what a user needs', () => {
  const files = zipEntries(archive)
    .filter((name) => name.startsWith('extension/'))
    .map((name) => name.slice('extension/'.length))
    .sort();
  const allowed = [
    /^dist\/(extension|insertion)\.js$/,
    /^media\/(ductape\.svg|icon\.png|walkthrough\/[\w-]+\.md)$/,
    /^l10n\/bundle\.l10n\.json$/,
    /^package(\.nls)?\.json$/,
    /^(readme|changelog)\.md$/i,
    /^LICENSE(\.txt)?$/,
  ];
  const unexpected = files.filter((file) => !allowed.some((pattern) => pattern.test(file)));
  assert.deepEqual(unexpected, [], 'files a user does not need');
  for (const needed of ['dist/extension.js', 'dist/insertion.js', 'package.json', 'media/icon.png']) {
    assert.ok(files.includes(needed), `${needed} is missing`);
  }
});
