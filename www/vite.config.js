// Builds the widget page as a site would: `ticketwire/widget` resolved from the package (the
// element, which imports the browser entry: top-level await and a .wasm asset), for browsers
// with top-level await.
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Stable names: the page loads assets/ticketwire-widget.js (`ticketwire/widget`), which
    // loads the SDK (assets/browser.js) and its .wasm beside it.
    rollupOptions: {
      output: { entryFileNames: 'assets/ticketwire-widget.js', chunkFileNames: 'assets/[name].js', assetFileNames: 'assets/[name][extname]' },
    },
  },
  logLevel: 'warn',
});
