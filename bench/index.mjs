// `npm run bench [-- --latency MS] [--runs N] [--json]`: the data-layer benchmark (bench.ts, run
// from its compiled form); with `--editor`, the benchmark in the real editor (editor.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../scripts/vscode-web/install.mjs';

const args = process.argv.slice(2);
if (args.includes('--editor')) {
  await import('./editor.mjs');
} else {
  const { status } = spawnSync(process.execPath, ['--expose-gc', path.join(repoRoot, 'out', 'bench', 'bench.js'), ...args], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
