// Feeds the commonmark-spec package's examples (JSON) to spec_test and passes on
// its verdict:  node run.mjs SPEC_TEST_BINARY docs/api.md [--all]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let tests;
try {
  ({ tests } = require('commonmark-spec'));
} catch {
  console.error('commonmark-spec is not installed in tests/commonmark/node_modules: run tools/setup');
  process.exit(1);
}
// The spec shows tabs as '→' (as its own test runner, put them back).
const examples = tests.map((t) => ({ ...t, markdown: t.markdown.replaceAll('→', '\t'), html: t.html.replaceAll('→', '\t') }));
const [binary, ...args] = process.argv.slice(2);
const run = spawnSync(binary, args, { input: JSON.stringify(examples), stdio: ['pipe', 'inherit', 'inherit'] });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
