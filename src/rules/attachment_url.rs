//! Mava's attachment URL allow-list (CONTRACT §1.1): HTTPS into an allowed S3 bucket, with no
//! user info, no port but 443, no backslash and no `.`/`..` path segment in any spelling.

const NOT_IN_STORAGE: &str = "must be a file in Mava's S3 storage";

/// Checks one attachment URL; the error is the message for the violation.
pub fn check(url: &str, bucket_prefix: &str) -> Result<(), String> {
    if accepted_plainly(url, bucket_prefix) {
        return Ok(());
    }
    check_carefully(url, bucket_prefix)
}

/// Whether `url` is in the allow-list as the usual one is spelled: `https://`, a lower-case
/// host with no user info or port, printable ASCII with no backslash or `%`, no `.`/`..`
/// segment. `false` says nothing: [`check_carefully`] then answers (a test holds the two to
/// the same answer).
fn accepted_plainly(url: &str, bucket_prefix: &str) -> bool {
    let bytes = url.as_bytes();
    let [b'h' | b'H', b't' | b'T', b't' | b'T', b'p' | b'P', b's' | b'S', b':', b'/', b'/', rest @ ..] = bytes else {
        return false;
    };
    // The authority: lower-case letters, digits, `.` and `-` only (no user info, no port).
    let mut host_end = 0;
    while let Some(b) = rest.get(host_end) {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' => host_end += 1,
            b'/' | b'?' | b'#' => break,
            _ => return false,
        }
    }
    let (host, tail) = rest.split_at(host_end);
    // The path up to a query or fragment, in segments; the rest printable ASCII.
    let mut segment_start = 0;
    let mut path_end = tail.len();
    for (i, b) in tail.iter().enumerate() {
        match b {
            b'\\' | b'%' | b'@' | 0..=b' ' | 0x7f.. => return false,
            b'/' | b'?' | b'#' if path_end == tail.len() => {
                if matches!(&tail[segment_start..i], b"." | b"..") {
                    return false;
                }
                segment_start = i + 1;
                if *b != b'/' {
                    path_end = i;
                }
            }
            _ => {}
        }
    }
    if path_end == tail.len() && matches!(&tail[segment_start..], b"." | b"..") {
        return false;
    }
    // Cut at ASCII bytes: on character boundaries.
    let host = &url[8..8 + host.len()];
    let path = &url[8 + host.len()..8 + host.len() + path_end];
    s3_bucket(host, path).is_some_and(|bucket| !bucket.is_empty() && bucket.starts_with(bucket_prefix))
}

/// [`check`], for any spelling.
fn check_carefully(url: &str, bucket_prefix: &str) -> Result<(), String> {
    if url.contains('\\') {
        return Err("must NOT contain a backslash".to_owned());
    }
    if has_space_or_control(url) {
        return Err("must NOT contain white space or control characters".to_owned());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("must be an absolute https URL".to_owned());
    };
    if !scheme.eq_ignore_ascii_case("https") {
        return Err("must use https".to_owned());
    }
    let authority_end = first_of(rest, b"/?#");
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err("must NOT contain user info".to_owned());
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) => {
            if port.parse::<u16>() != Ok(443) {
                return Err("must NOT use a port other than 443".to_owned());
            }
            host
        }
        None => authority,
    };
    let path = &tail[..first_of(tail, b"?#")];
    if has_dot_segment(path) {
        return Err("must NOT contain '.' or '..' path segments".to_owned());
    }
    let host = host.to_ascii_lowercase();
    let bucket = s3_bucket(&host, path).ok_or_else(|| NOT_IN_STORAGE.to_owned())?;
    if bucket.is_empty() || !bucket.starts_with(bucket_prefix) {
        return Err(format!("{NOT_IN_STORAGE} (a bucket starting with '{bucket_prefix}')"));
    }
    Ok(())
}

/// Whether `url` holds a character `char::is_whitespace` or `is_control` holds for: byte by
/// byte where it is ASCII.
fn has_space_or_control(url: &str) -> bool {
    let mut rest = url.as_bytes();
    while let [b, tail @ ..] = rest {
        if *b <= b' ' || *b == 0x7f {
            return true;
        }
        rest = tail;
    }
    !url.is_ascii() && url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Where the first of the ASCII bytes `stops` is in `text`, or its end.
fn first_of(text: &str, stops: &[u8]) -> usize {
    let mut rest = text.as_bytes();
    while let [b, tail @ ..] = rest {
        if stops.contains(b) {
            break;
        }
        rest = tail;
    }
    text.len() - rest.len()
}

/// The bucket an S3 URL names, path-style (`s3[.region].amazonaws.com/bucket/…`) or
/// virtual-hosted (`bucket.s3[.region].amazonaws.com`); `None` when the host is not S3.
fn s3_bucket<'a>(host: &'a str, path: &'a str) -> Option<&'a str> {
    let prefix = host.strip_suffix(".amazonaws.com")?;
    let is_region =
        |r: &str| !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let path_style = prefix == "s3" || prefix.strip_prefix("s3.").is_some_and(is_region);
    if path_style {
        return Some(path.trim_start_matches('/').split('/').next().unwrap_or(""));
    }
    let before_region = match prefix.rsplit_once('.') {
        Some((left, region)) if left.ends_with(".s3") && is_region(region) => left,
        _ => prefix,
    };
    before_region.strip_suffix(".s3")
}

/// Whether the path holds a `.` or `..` segment once percent-escapes are undone (repeatedly,
/// so `%252e` counts) and encoded slashes or backslashes split segments.
fn has_dot_segment(path: &str) -> bool {
    let is_dot = |seg: &[u8]| seg == b"." || seg == b"..";
    if !path.contains('%') {
        return path.as_bytes().split(|b| *b == b'/' || *b == b'\\').any(is_dot);
        // nothing to decode
    }
    let mut bytes = path.as_bytes().to_vec();
    for _ in 0..4 {
        if bytes.split(|b| *b == b'/' || *b == b'\\').any(is_dot) {
            return true;
        }
        let decoded = percent_decode(&bytes);
        if decoded == bytes {
            return false;
        }
        bytes = decoded;
    }
    true // still changing after four rounds of decoding: refuse rather than guess
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b)))
            {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "app.mava.";

    #[test]
    fn the_documented_example_and_every_s3_host_shape_pass() {
        for ok in [
            "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg",
            "https://s3.amazonaws.com/app.mava.x/a/b.png",
            "https://app.mava.container.2.s3.amazonaws.com/receipt.jpg",
            "https://app.mava.container.2.s3.eu-central-1.amazonaws.com/receipt.jpg?X-Amz-Signature=abc",
            "HTTPS://S3.EU-CENTRAL-1.AMAZONAWS.COM/app.mava.c/r.jpg",
            "https://s3.amazonaws.com:443/app.mava.x/a.png",
            "https://s3.amazonaws.com/app.mava.x/a..b.png",
        ] {
            assert_eq!(check(ok, PREFIX), Ok(()), "{ok}");
        }
    }

    #[test]
    fn each_refusal_says_why() {
        let cases = [
            ("http://s3.amazonaws.com/app.mava.x/a.png", "must use https"),
            ("s3.amazonaws.com/app.mava.x/a.png", "must be an absolute https URL"),
            ("https://user:pw@s3.amazonaws.com/app.mava.x/a.png", "must NOT contain user info"),
            ("https://s3.amazonaws.com:8443/app.mava.x/a.png", "must NOT use a port other than 443"),
            ("https://s3.amazonaws.com\\@evil.com/app.mava.x/a.png", "must NOT contain a backslash"),
            ("https://s3.amazonaws.com/app.mava.x/a b.png", "must NOT contain white space or control characters"),
            ("https://evil.example.com/app.mava.x/a.png", "must be a file in Mava's S3 storage"),
            ("https://s3.amazonaws.com.evil.com/app.mava.x/a.png", "must be a file in Mava's S3 storage"),
            (
                "https://evil.s3.amazonaws.com/a.png",
                "must be a file in Mava's S3 storage (a bucket starting with 'app.mava.')",
            ),
            (
                "https://s3.amazonaws.com/other-bucket/a.png",
                "must be a file in Mava's S3 storage (a bucket starting with 'app.mava.')",
            ),
        ];
        for (url, message) in cases {
            assert_eq!(check(url, PREFIX), Err(message.to_owned()), "{url}");
        }
    }

    #[test]
    fn path_traversal_is_refused_in_any_spelling() {
        for segment in
            ["..", ".", "%2e%2e", "%2E.", ".%2e", "%2e", "..%2f..", "..%5c..", "%252e%252e", "%25252e%25252e"]
        {
            let url = format!("https://s3.amazonaws.com/app.mava.x/{segment}/secret");
            assert_eq!(check(&url, PREFIX), Err("must NOT contain '.' or '..' path segments".to_owned()), "{url}");
        }
    }

    #[test]
    fn the_plain_path_accepts_only_what_the_careful_check_accepts() {
        let shapes = [
            "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/uploads/2026/05/a.jpg",
            "https://app.mava.container.2.s3.amazonaws.com/uploads/2026/05/a.jpg",
            "https://app.mava.x.s3.us-east-1.amazonaws.com/a.jpg?X-Amz-Signature=ab#f",
            "https://s3.amazonaws.com/app.mava.x/a/b.png",
        ];
        for url in shapes {
            assert!(accepted_plainly(url, PREFIX), "{url}");
        }
        // Every URL one edit away from those (a byte replaced, inserted or removed, from a
        // set of bytes that matter to URLs) gets the careful answer from the plain path.
        let bytes: &[u8] = b"./\\%@:?#-_ aAsS3\t\x7f";
        let mut tried = 0;
        let mut accepted = 0;
        for url in shapes {
            for i in 0..=url.len() {
                let mut edits: Vec<String> = Vec::new();
                if i < url.len() {
                    edits.push(format!("{}{}", &url[..i], &url[i + 1..]));
                }
                for b in bytes.iter().chain(b"..%2e") {
                    let c = char::from(*b);
                    edits.push(format!("{}{c}{}", &url[..i], &url[i..]));
                    if i < url.len() {
                        edits.push(format!("{}{c}{}", &url[..i], &url[i + 1..]));
                    }
                }
                edits.push(format!("{}/../{}", &url[..i], &url[i..]));
                edits.push(format!("{}/.{}", &url[..i], &url[i..]));
                edits.push(format!("{}é{}", &url[..i], &url[i..]));
                for edited in edits {
                    tried += 1;
                    for prefix in [PREFIX, "app.mava.container.2", ""] {
                        if accepted_plainly(&edited, prefix) {
                            accepted += 1;
                            assert_eq!(check_carefully(&edited, prefix), Ok(()), "{edited}");
                        }
                    }
                }
            }
        }
        assert!(tried > 10_000 && accepted > 1_000, "{tried} tried, {accepted} accepted plainly");
    }

    #[test]
    fn the_bucket_prefix_is_configurable() {
        let url = "https://s3.amazonaws.com/acme-support/a.png";
        assert!(check(url, PREFIX).is_err());
        assert_eq!(check(url, "acme-"), Ok(()));
    }
}
