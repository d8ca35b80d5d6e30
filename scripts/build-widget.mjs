// Builds `ticketwire/widget` into pkg/: js/widget.mjs with its CSS (js/widget.css, minified)
// inlined as a string, which the element adopts as a constructable stylesheet; blank space and
// comments gone, names kept. The SDK it imports (./lite.mjs, the visitor's build) stays a module of its own beside
// it, so a page that also imports `ticketwire` shares it, and the wasm URL stays relative. Then
// its types (js/widget.d.ts). Prints its size, as scripts/size-report.mjs does the SDK's.
import { copyFileSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const root = new URL('../', import.meta.url);
const path = (relative) => new URL(relative, root).pathname;

const css = await transform(readFileSync(path('js/widget.css'), 'utf8'), { loader: 'css', minify: true });
await build({
  entryPoints: [path('js/widget.mjs')],
  outfile: path('pkg/widget.mjs'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [{
    name: 'widget-parts',
    setup(on) {
      on.onResolve({ filter: /^\.\/lite\.mjs$/ }, ({ path: name }) => ({ path: name, external: true }));
      on.onResolve({ filter: /^\.\/widget\.css$/ }, () => ({ path: 'widget.css', namespace: 'widget-css' }));
      on.onLoad({ filter: /.*/, namespace: 'widget-css' }, () => ({ contents: css.code.trim(), loader: 'text' }));
    },
  }],
});
copyFileSync(path('js/widget.d.ts'), path('pkg/widget.d.ts'));

const bytes = readFileSync(path('pkg/widget.mjs'));
const zipped = gzipSync(bytes, { level: 9 }).length;
console.log(`size: ${'widget.mjs'.padEnd(24)} ${String(bytes.length).padStart(8)} B raw ${String(zipped).padStart(8)} B gzip  (ticketwire/widget, CSS inlined; with the SDK below)`);
