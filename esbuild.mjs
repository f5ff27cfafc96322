// Bundles the extension into dist/: `extension.js` (what activation loads) and `undici.js` (the
// HTTP client, loaded on the first request, so that activation does not pay for parsing it).
// `vscode` is provided by the editor at run time.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/** `import('undici')` in the data layer becomes a run-time require of the sibling bundle. */
const undiciAlongside = {
  name: 'undici-alongside',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [undiciAlongside] },
  { ...common, entryPoints: ['scripts/undici-parts.cjs'], outfile: 'dist/undici.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
