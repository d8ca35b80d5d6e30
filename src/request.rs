//! What goes out: the client's [`Config`], auth schemes, and the exact [`PreparedRequest`].

use serde::Serialize;

/// The header that carries a relay's ticket capability, both ways (CONTRACT §6).
pub const CAPABILITY_HEADER: &str = "x-ticketwire-capability";
/// The header that carries the app backend's identity hash to a relay (CONTRACT §6).
pub const USER_HASH_HEADER: &str = "x-ticketwire-user-hash";
/// The header of a conversation's answer that says the relay also takes a WebSocket for it
/// (CONTRACT §7.2): `offered`.
pub const SOCKET_HEADER: &str = "x-ticketwire-socket";
use std::fmt;

/// An HTTP request exactly as it will be sent (first attempt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct PreparedRequest {
    /// `GET`, `POST` or `PUT`.
    pub method: String,
    /// The absolute URL, query string included.
    pub url: String,
    /// Header names (lower case) and values, auth included, in sending order.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub headers: Vec<(String, String)>,
    /// The JSON body text, or `null` when there is none.
    pub body: Option<String>,
}

impl PreparedRequest {
    /// The value of header `name` (lower case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An API key; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the auth header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

/// How a provider expects the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// In a header of its own: `x-auth-token: <key>`.
    Header(&'static str),
    /// `authorization: Bearer <key>`.
    Bearer,
}

impl Auth {
    /// The header that carries `key`.
    pub fn header(self, key: &ApiKey) -> (String, String) {
        match self {
            Auth::Header(name) => (name.to_owned(), key.expose().to_owned()),
            Auth::Bearer => ("authorization".to_owned(), format!("Bearer {}", key.expose())),
        }
    }
}

/// The settings of one client.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the API lives, without a trailing slash (`https://gateway.mava.app`).
    pub base_url: String,
    /// Sent in the provider's auth header; absent when a relay adds it.
    pub api_key: Option<ApiKey>,
    /// Mava attachments must live in a bucket whose name starts with this.
    pub attachment_bucket_prefix: String,
}

/// The bucket prefix Mava's own storage uses (CONTRACT §1.1).
pub const DEFAULT_ATTACHMENT_BUCKET_PREFIX: &str = "app.mava.";

impl Config {
    /// A config for `base_url` (a trailing slash is dropped) with the default bucket prefix.
    pub fn new(base_url: &str, api_key: Option<ApiKey>) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            attachment_bucket_prefix: DEFAULT_ATTACHMENT_BUCKET_PREFIX.to_owned(),
        }
    }
}

/// Checks a base URL: absolute `http:`/`https:` with a host, and no query, fragment or user info.
pub fn check_base_url(url: &str) -> Result<(), &'static str> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err("baseUrl must be an absolute http(s) URL");
    };
    let host = &rest[..rest.find('/').unwrap_or(rest.len())];
    if host.is_empty()
        || url.contains(['?', '#', '@', '\\'])
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("baseUrl must be an absolute http(s) URL with a host and no query, fragment or user info");
    }
    Ok(())
}

/// Whether `url` is a path alone (`/support/mava`): one `/` first, not two (`//host` names a host).
pub fn is_path_only(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

/// A path-only base URL put on the page's origin (`https://shop.example` + `/support/mava`), as a
/// browser resolves it against the page's location; any other URL, or an origin that is not
/// http(s) (`null` for a `file:` page), leaves it as given.
pub fn resolve_base_url(url: String, page_origin: Option<&str>) -> String {
    match page_origin {
        Some(origin) if is_path_only(&url) && check_base_url(origin).is_ok() => {
            format!("{}{url}", origin.trim_end_matches('/'))
        }
        _ => url,
    }
}

/// A random (version 4) UUID from 16 random bytes, in its lower-case text form.
pub fn uuid_v4(mut random: [u8; 16]) -> String {
    random[6] = (random[6] & 0x0f) | 0x40; // version 4
    random[8] = (random[8] & 0x3f) | 0x80; // RFC 4122 variant
    let mut out = String::with_capacity(36);
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    out
}

/// Appends `text` to `out` as `application/x-www-form-urlencoded` (what `URLSearchParams` writes).
pub fn form_encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

/// Appends `text` to `out` percent-encoded as one path segment.
pub fn path_encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_never_show_in_debug_output() {
        let config = Config::new("https://gateway.mava.app/", Some(ApiKey::new("sk_live_secret")));
        let shown = format!("{config:?}");
        assert!(!shown.contains("sk_live_secret"), "{shown}");
        assert!(shown.contains("ApiKey([redacted])"));
        assert_eq!(config.base_url, "https://gateway.mava.app");
    }

    #[test]
    fn auth_schemes_put_the_key_where_each_provider_reads_it() {
        let key = ApiKey::new("k1");
        assert_eq!(Auth::Header("x-auth-token").header(&key), ("x-auth-token".into(), "k1".into()));
        assert_eq!(Auth::Bearer.header(&key), ("authorization".into(), "Bearer k1".into()));
    }

    #[test]
    fn base_urls_must_be_absolute_http() {
        for ok in ["https://gateway.mava.app", "http://127.0.0.1:8080/mava", "https://x.example/base/"] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in
            ["gateway.mava.app", "ftp://x", "https://", "https://x?y=1", "https://u:p@x", "https://x/a b", "/api"]
        {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uuids_carry_version_4_and_the_rfc_4122_variant() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4(*b"0123456789abcdef"), "30313233-3435-4637-b839-616263646566");
    }

    #[test]
    fn form_encoding_matches_url_search_params() {
        let mut out = String::new();
        form_encode("2026-01-01T00:00:00.000Z a+b/é~*", &mut out);
        assert_eq!(out, "2026-01-01T00%3A00%3A00.000Z+a%2Bb%2F%C3%A9%7E*");
    }

    #[test]
    fn path_encoding_escapes_everything_but_unreserved() {
        let mut out = String::new();
        path_encode("12/../x y?", &mut out);
        assert_eq!(out, "12%2F..%2Fx%20y%3F");
    }
}
