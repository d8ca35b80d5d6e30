// `ticketwire/inline` for TypeScript's node10 resolution, which reads no exports map: the same
// surface as the main entry.
export * from './index.js';
