// The usual Rollup set-up for a page: npm packages resolved with their "browser" entries.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default { input: 'src/index.js', output: { dir: 'dist', format: 'es' }, plugins: [nodeResolve({ browser: true })] };
