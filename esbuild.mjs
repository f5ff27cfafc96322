// Bundles the extension into dist/: `extension.js` (what activation loads) and `insertion.js` (the
// insertion planner and the JSON, YAML and TOML parsers it reads files with, loaded on the first
// insertion), so that activation does not pay for parsing them.
// `vscode` is provided by the editor at run time, and so is the HTTP client: the global `fetch`.
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
  // jsonc-parser's `main` is a UMD build that esbuild cannot follow; its `module` build bundles.
  mainFields: ['module', 'main'],
};

/** `import('./text/index')` in the editor layer becomes a run-time require of the sibling bundle. */
const insertionAlongside = {
  name: 'insertion-alongside',
  setup(build) {
    build.onResolve({ filter: /^\.\/text\/index$/ }, () => ({ path: './insertion.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [insertionAlongside] },
  { ...common, entryPoints: ['src/editor/text/index.ts'], outfile: 'dist/insertion.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
