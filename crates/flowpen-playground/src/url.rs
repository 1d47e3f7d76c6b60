//! The parts of an absolute `http(s)` URL that the playground needs: which host a Run Function
//! URL names (a project Function on `flowpen.local`, a Twilio Functions domain…), and the path and
//! query a Function is called with. Not a general URL parser: no percent-decoding, no IDNA.

/// The parts of an `http(s)` URL that routing needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// The host name, without user info or port.
    pub host: &'a str,
    /// The path, not decoded (Express's `req.path`); `/` when the URL has none.
    pub path: &'a str,
    /// The query string without `?` (empty when there is none).
    pub query: &'a str,
}

/// Splits an absolute `http` or `https` URL; `None` for anything else.
pub fn parse_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => host_port,
    };
    if host.is_empty() {
        return None;
    }
    let tail = tail.split_once('#').map_or(tail, |(before, _)| before);
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    Some(UrlParts {
        host,
        path: if path.is_empty() { "/" } else { path },
        query,
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_url, UrlParts};

    #[test]
    fn urls_split_into_host_path_and_query() {
        assert_eq!(
            parse_url("https://user@flowpen.local:8443/a/b?x=1&y=2#top"),
            Some(UrlParts {
                host: "flowpen.local",
                path: "/a/b",
                query: "x=1&y=2"
            })
        );
        assert_eq!(
            parse_url("http://flowpen.local?x=1"),
            Some(UrlParts {
                host: "flowpen.local",
                path: "/",
                query: "x=1"
            })
        );
        assert_eq!(parse_url("mailto:someone@example.com"), None);
        assert_eq!(parse_url("https:///path"), None);
    }
}
