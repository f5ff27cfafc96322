// Bundles the extension into dist/extension.js. `vscode` is provided by the editor at run time, and
// so is the HTTP client: the data layer uses the global `fetch`.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const options = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
};

if (watch) await (await esbuild.context(options)).watch();
else await esbuild.build(options);
