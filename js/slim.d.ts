// `ticketwire/slim`: the package's surface, plus the two ways to hand it its compiled wasm.
/**
 * Everything `ticketwire` exports, with no wasm inside: hand it the compiled module
 * (`ticketwire/slim.wasm`) with `initSync` or `init` before using anything else.
 *
 * @module ticketwire/slim
 */
export * from './index.js';

// Declared here too, so that a project whose lib has no WebAssembly (es20xx without DOM) compiles;
// it merges with lib.dom's, @types/node's and the Workers types'.
declare global {
  namespace WebAssembly {
    interface Module {}
  }
}

/**
 * Instantiates the package from ticketwire's compiled `WebAssembly.Module` (or its bytes,
 * compiled synchronously); the wasm is the package's `ticketwire/slim.wasm`. Call it once, before
 * using anything else; later calls do nothing.
 */
export declare function initSync(module: WebAssembly.Module | ArrayBufferView | ArrayBuffer): void;

/**
 * Instantiates the package from a `WebAssembly.Module`, its bytes, a `Response`, or a URL to
 * fetch (or a promise of one of these), compiling asynchronously. Resolves once it is ready.
 */
export declare function init(
  source:
    | WebAssembly.Module
    | ArrayBufferView
    | ArrayBuffer
    | Response
    | URL
    | string
    | PromiseLike<WebAssembly.Module | ArrayBufferView | ArrayBuffer | Response>,
): Promise<void>;
