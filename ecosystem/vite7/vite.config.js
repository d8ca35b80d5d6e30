// Vite 7's dev server pre-bundles dependencies into .vite/deps, away from the .wasm beside the
// package's browser entry: this line (the README's) serves the package as published instead.
export default { optimizeDeps: { exclude: ['ticketwire'] } };
