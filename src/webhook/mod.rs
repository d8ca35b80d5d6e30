//! Webhooks the SDK receives rather than calls (CONTRACT §7): read, verified and decrypted in
//! the core as pure decisions; the host only runs the Web Crypto steps they ask for.

pub mod encoding;
pub mod mava;
