// Builds the widget page as a site would: `ticketwire` resolved from the package (its browser
// entry, top-level await and a .wasm asset), for browsers with top-level await.
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Stable names: a site embeds assets/ticketwire-widget.js, and the .wasm beside it.
    rollupOptions: { output: { entryFileNames: 'assets/ticketwire-widget.js', assetFileNames: 'assets/[name][extname]' } },
  },
  logLevel: 'warn',
});
