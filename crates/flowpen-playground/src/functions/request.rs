//! Pure: routing a request to a Function and building twilio-run's `event` and `context`.
//!
//! This follows `@twilio/runtime-handler`'s dev runtime (what `twilio-run start` runs): the server
//! pipeline (body parsers, cookie parser, 404, the CORS preflight), `constructEvent` and
//! `constructContext`. No web APIs are used here, so all of it is tested natively.

use serde_json::{Map, Value};

use flowpen_engine::{HttpRequest, HttpResponse};

use super::response;
use crate::project::functions::{FunctionsProject, FUNCTIONS_HOST};
use crate::url::parse_url;

/// body-parser's limit in twilio-run (`limit: '6mb'`), in bytes.
pub(crate) const BODY_LIMIT: usize = 6 * 1024 * 1024;

/// Header name prefixes that twilio-run drops from `event.request.headers`.
const RESTRICTED_PREFIXES: [&str; 6] = [
    "i-twilio-",
    "i-t-",
    "ot-",
    "x-amz",
    "x-forwarded-",
    "x-accel-",
];

/// Header names that twilio-run drops from `event.request.headers`.
const RESTRICTED_NAMES: [&str; 11] = [
    "via",
    "referer",
    "transfer-encoding",
    "proxy-authorization",
    "proxy-authenticate",
    "x-real-ip",
    "connection",
    "proxy-connection",
    "expect",
    "trailer",
    "upgrade",
];

/// What the host does with a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Routed {
    /// Answer at once, without running a Function (404, preflight, unreadable body…).
    Respond(HttpResponse),
    /// Run the Function at `call.path`.
    Run(PreparedCall),
}

/// A request ready for the worker: the Function's path and its `event` and `context` values.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedCall {
    /// The method, upper-cased.
    pub method: String,
    /// The Function's path (`/random`).
    pub path: String,
    /// `event`: `{request: {headers, cookies}, ...query, ...body}`.
    pub event: Map<String, Value>,
    /// `context` without its functions: `{PATH, DOMAIN_NAME, ...env}`.
    pub context: Map<String, Value>,
}

/// Routes a request like twilio-run's server: an unknown path is a 404, `OPTIONS` on a known path
/// is the automatic CORS preflight (the Function is not invoked), anything else runs the Function.
///
/// Every method other than `OPTIONS` runs the Function, as twilio-run's `app.all` does (production
/// accepts only GET, POST and OPTIONS; what it answers to others is not documented).
pub fn route(project: &FunctionsProject, request: &HttpRequest) -> Routed {
    let Some(url) =
        parse_url(&request.url).filter(|url| url.host.eq_ignore_ascii_case(FUNCTIONS_HOST))
    else {
        return Routed::Respond(response::host_error(
            400,
            &format!(
                "{} is not an in-browser Function URL (those start with https://{FUNCTIONS_HOST}/)",
                request.url
            ),
        ));
    };
    if project.find(url.path).is_none() {
        return Routed::Respond(response::not_found());
    }
    let method = request.method.trim().to_ascii_uppercase();
    if method == "OPTIONS" {
        return Routed::Respond(response::preflight());
    }
    let body = request.body.as_deref().unwrap_or_default();
    match construct_event(url.query, &request.headers, body) {
        Ok(event) => Routed::Run(PreparedCall {
            method,
            path: url.path.to_owned(),
            event,
            context: construct_context(url.path, &project.env),
        }),
        Err(answer) => Routed::Respond(answer),
    }
}

/// twilio-run's `constructEvent`: `{request: {headers, cookies}, ...query, ...body}`.
///
/// The body wins over the query, and a parameter named `request` replaces the request object (as
/// twilio-run's test "does not override request" shows). The query is decoded like the body
/// (repeated keys become lists); Express's default "extended" query parser would also expand
/// `a[b]=c` into nested objects, which this host does not do (Studio sends its parameters in the
/// body). An error is the response the body parser would give (400 or 413).
pub(crate) fn construct_event(
    query: &str,
    headers: &[(String, String)],
    body: &str,
) -> Result<Map<String, Value>, HttpResponse> {
    let mut request = Map::new();
    request.insert(
        "headers".to_owned(),
        Value::Object(construct_headers(headers)),
    );
    request.insert("cookies".to_owned(), Value::Object(parse_cookies(headers)));
    let mut event = Map::new();
    event.insert("request".to_owned(), Value::Object(request));
    event.extend(parse_urlencoded(query));
    event.extend(parse_body(headers, body)?);
    Ok(event)
}

/// twilio-run's `constructContext` without its functions: `{PATH, DOMAIN_NAME, ...env}`.
///
/// Environment variables come after the defaults, so they can override `PATH` and `DOMAIN_NAME`.
/// The worker adds `SERVICE_SID`, `ENVIRONMENT_SID` (undefined, with a warning when read) and
/// `getTwilioClient()`.
pub(crate) fn construct_context(path: &str, env: &[(String, String)]) -> Map<String, Value> {
    let mut context = Map::new();
    context.insert("PATH".to_owned(), Value::String(path.to_owned()));
    context.insert(
        "DOMAIN_NAME".to_owned(),
        Value::String(FUNCTIONS_HOST.to_owned()),
    );
    for (name, value) in env {
        context.insert(name.clone(), Value::String(value.clone()));
    }
    context
}

/// twilio-run's `constructHeaders`: names lower-cased, repeated headers as lists, restricted
/// headers dropped.
pub(crate) fn construct_headers(headers: &[(String, String)]) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if RESTRICTED_NAMES.contains(&name.as_str())
            || RESTRICTED_PREFIXES
                .iter()
                .any(|prefix| name.starts_with(prefix))
        {
            continue;
        }
        add_value(&mut out, name, value.clone(), true);
    }
    out
}

/// Adds `value` under `key`; a repeated key becomes a list. With `replace_empty`, an empty first
/// value is replaced instead (twilio-run's `constructHeaders` tests `!currentHeader`).
fn add_value(map: &mut Map<String, Value>, key: String, value: String, replace_empty: bool) {
    match map.get_mut(&key) {
        Some(Value::Array(items)) => items.push(Value::String(value)),
        Some(Value::String(first)) if replace_empty && first.is_empty() => *first = value,
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, Value::String(value)]);
        }
        None => {
            map.insert(key, Value::String(value));
        }
    }
}

/// The cookies of the `Cookie` headers, as `cookie-parser` gives them: the first value of a name
/// wins, values are URI-decoded when they can be, and `j:` values holding JSON are parsed.
pub(crate) fn parse_cookies(headers: &[(String, String)]) -> Map<String, Value> {
    let text = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("cookie"))
        .map(|(_, value)| value.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let mut cookies = Map::new();
    for pair in text.split(';') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || cookies.contains_key(name) {
            continue;
        }
        let mut value = value.trim();
        if let Some(quoted) = value.strip_prefix('"') {
            // cookie's `val.slice(1, -1)`: the first and the last character go.
            value = quoted
                .char_indices()
                .last()
                .map_or("", |(last, _)| &quoted[..last]);
        }
        let decoded = if value.contains('%') {
            percent_decode_strict(value).unwrap_or_else(|| value.to_owned())
        } else {
            value.to_owned()
        };
        let parsed = json_cookie(&decoded).unwrap_or(Value::String(decoded));
        cookies.insert(name.to_owned(), parsed);
    }
    cookies
}

/// cookie-parser's `JSONCookie`: a `j:` value holding JSON, when the parsed value is truthy.
fn json_cookie(value: &str) -> Option<Value> {
    let parsed: Value = serde_json::from_str(value.strip_prefix("j:")?).ok()?;
    let truthy = match &parsed {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    };
    truthy.then_some(parsed)
}

/// The body's parameters: form-encoded and JSON bodies are parsed (following `Content-Type`, as
/// body-parser does), any other body gives none.
pub(crate) fn parse_body(
    headers: &[(String, String)],
    body: &str,
) -> Result<Map<String, Value>, HttpResponse> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    let content_type = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| media_type(value));
    let parser = match content_type.as_deref() {
        Some("application/x-www-form-urlencoded") => parse_form_body,
        Some("application/json") => parse_json_body,
        _ => return Ok(Map::new()),
    };
    if body.len() > BODY_LIMIT {
        return Err(response::host_error(
            413,
            "request entity too large: twilio-run accepts bodies of at most 6 MB",
        ));
    }
    parser(body)
}

fn parse_form_body(body: &str) -> Result<Map<String, Value>, HttpResponse> {
    Ok(parse_urlencoded(body))
}

/// body-parser's JSON parser in strict mode: only an object or an array; an array's items become
/// the keys `"0"`, `"1"`… when spread into `event`.
fn parse_json_body(body: &str) -> Result<Map<String, Value>, HttpResponse> {
    let first = body
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .chars()
        .next();
    if !matches!(first, Some('{' | '[')) {
        return Err(response::host_error(
            400,
            "the JSON body must be an object or an array (body-parser's strict mode)",
        ));
    }
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Array(items)) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(index, item)| (index.to_string(), item))
            .collect()),
        Ok(_) => Ok(Map::new()),
        Err(error) => Err(response::host_error(
            400,
            &format!("the JSON body cannot be parsed: {error}"),
        )),
    }
}

/// The media type of a `Content-Type` value: before any `;`, trimmed, lower-cased.
pub(crate) fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Node's `querystring.parse`: `&`-separated `key=value` pairs, `+` is a space, `%XX` escapes are
/// decoded (invalid ones are kept as they are), repeated keys become lists.
pub(crate) fn parse_urlencoded(text: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        add_value(
            &mut out,
            decode_form_component(key),
            decode_form_component(value),
            false,
        );
    }
    out
}

fn decode_form_component(text: &str) -> String {
    percent_decode_lossy(&text.replace('+', " "))
}

fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

/// The bytes of `text` with every valid `%XX` escape decoded.
fn percent_decoded_bytes(text: &str, strict: bool) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let high = bytes.get(index + 1).copied().and_then(hex_value);
            let low = bytes.get(index + 2).copied().and_then(hex_value);
            if let (Some(high), Some(low)) = (high, low) {
                out.push(high * 16 + low);
                index += 3;
                continue;
            }
            if strict {
                return None;
            }
        }
        out.push(byte);
        index += 1;
    }
    Some(out)
}

/// Decodes `%XX` escapes, keeping invalid ones; invalid UTF-8 becomes U+FFFD.
fn percent_decode_lossy(text: &str) -> String {
    let bytes = percent_decoded_bytes(text, false).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `decodeURIComponent`: `None` when an escape is invalid or the bytes are not UTF-8.
fn percent_decode_strict(text: &str) -> Option<String> {
    String::from_utf8(percent_decoded_bytes(text, true)?).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use flowpen_engine::form_encode;

    use super::{
        construct_context, construct_event, construct_headers, parse_cookies, parse_urlencoded,
        route, Routed,
    };
    use crate::project::{FunctionDef, FunctionsProject};
    use crate::testing::{form_post, get};

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    fn project() -> FunctionsProject {
        FunctionsProject {
            functions: vec![
                FunctionDef {
                    path: "/random".to_owned(),
                    code: "exports.handler = () => {};".to_owned(),
                },
                FunctionDef {
                    path: "hello".to_owned(),
                    code: String::new(),
                },
            ],
            env: vec![("GREETING".to_owned(), "ahoy".to_owned())],
        }
    }

    #[test]
    fn unknown_paths_are_404_and_options_is_the_preflight() {
        let mut request = get("https://flowpen.local/missing");
        let Routed::Respond(missing) = route(&project(), &request) else {
            panic!("an unknown path must not run a Function");
        };
        assert_eq!(missing.status, 404);
        assert_eq!(missing.body, "Could not find requested resource");

        request.url = "https://flowpen.local/random/".to_owned();
        assert!(matches!(route(&project(), &request), Routed::Respond(r) if r.status == 404));

        request.url = "https://flowpen.local/random".to_owned();
        request.method = "options".to_owned();
        let Routed::Respond(preflight) = route(&project(), &request) else {
            panic!("OPTIONS must not run the Function");
        };
        assert_eq!(preflight.status, 204);
        assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));

        request.url = "https://flowpen.local/missing".to_owned();
        assert!(matches!(route(&project(), &request), Routed::Respond(r) if r.status == 404));
    }

    #[test]
    fn other_hosts_are_refused_with_an_explanation() {
        let request = get("https://example.twil.io/random");
        let Routed::Respond(answer) = route(&project(), &request) else {
            panic!("another host must not run a Function");
        };
        assert_eq!(answer.status, 400);
        assert!(answer.body.contains("flowpen.local"), "{}", answer.body);
    }

    #[test]
    fn a_function_path_without_slash_is_served_with_one() {
        let request = get("https://flowpen.local/hello");
        let Routed::Run(call) = route(&project(), &request) else {
            panic!("/hello is a Function");
        };
        assert_eq!(call.path, "/hello");
        assert_eq!(call.method, "GET");
        assert_eq!(call.context["PATH"], "/hello");
    }

    #[test]
    fn form_post_from_run_function_becomes_event_parameters() {
        let request = form_post(
            "https://flowpen.local/random?min=0&from=query",
            &[
                ("min".to_owned(), "1".to_owned()),
                ("max".to_owned(), "10".to_owned()),
            ],
        );
        let Routed::Run(call) = route(&project(), &request) else {
            panic!("/random is a Function");
        };
        let event = Value::Object(call.event);
        assert_eq!(
            event,
            json!({
                "request": {
                    "headers": {"content-type": "application/x-www-form-urlencoded"},
                    "cookies": {}
                },
                "min": "1",
                "from": "query",
                "max": "10"
            })
        );
        // The body wins, but the key keeps its first place, as with JavaScript's spread.
        let keys: Vec<&String> = event
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["request", "min", "from", "max"]);
    }

    #[test]
    fn json_bodies_are_merged_and_arrays_spread_by_index() {
        let json = headers(&[("Content-Type", "application/json; charset=utf-8")]);
        let event = construct_event(
            "age=42&firstName=Rick",
            &json,
            r#"{"color":"orange","age":7}"#,
        )
        .expect("a JSON object body");
        assert_eq!(event["age"], json!(7));
        assert_eq!(event["firstName"], "Rick");
        assert_eq!(event["color"], "orange");

        let event = construct_event("", &json, r#"["a", {"b": 1}]"#).expect("an array body");
        assert_eq!(event["0"], "a");
        assert_eq!(event["1"], json!({"b": 1}));

        let empty = construct_event("", &json, "").expect("an empty body");
        assert_eq!(empty.len(), 1);
    }

    #[test]
    fn bad_json_bodies_are_400_and_huge_bodies_413() {
        let json = headers(&[("content-type", "application/json")]);
        let broken = construct_event("", &json, "{\"a\":").expect_err("broken JSON");
        assert_eq!(broken.status, 400);
        let scalar = construct_event("", &json, "42").expect_err("strict mode");
        assert_eq!(scalar.status, 400);
        let huge = "a".repeat(super::BODY_LIMIT + 1);
        let form = headers(&[("content-type", "application/x-www-form-urlencoded")]);
        assert_eq!(
            construct_event("", &form, &huge).map_err(|r| r.status),
            Err(413)
        );
    }

    #[test]
    fn other_bodies_add_no_parameters() {
        let text = headers(&[("content-type", "text/plain")]);
        let event = construct_event("", &text, "min=1").expect("a text body");
        assert_eq!(event.len(), 1);
        let none = construct_event("", &[], "min=1").expect("no content type");
        assert_eq!(none.len(), 1);
    }

    #[test]
    fn a_parameter_named_request_replaces_the_request_object() {
        let event = construct_event("request=mine", &[], "").expect("a query");
        assert_eq!(event["request"], "mine");
    }

    #[test]
    fn form_decoding_follows_node_querystring() {
        let parsed = Value::Object(parse_urlencoded(
            "a=1&a=2&a=3&b=x+y%21&c&=e&bad=%zz%4&utf=%C3%A9&&d=%ff&z=&z=1",
        ));
        assert_eq!(
            parsed,
            json!({
                "a": ["1", "2", "3"],
                "b": "x y!",
                "c": "",
                "": "e",
                "bad": "%zz%4",
                "utf": "é",
                "d": "\u{fffd}",
                "z": ["", "1"]
            })
        );
        assert_eq!(
            form_encode(&[("k y".to_owned(), "é&=*~".to_owned())]),
            "k+y=%C3%A9%26%3D*%7E"
        );
    }

    #[test]
    fn request_headers_are_lowercased_grouped_and_filtered() {
        let built = Value::Object(construct_headers(&headers(&[
            ("Content-Type", "text/plain"),
            ("X-Custom", "a"),
            ("x-custom", "b"),
            ("X-CUSTOM", "c"),
            ("I-Twilio-Idempotency-Token", "t"),
            ("X-Forwarded-For", "1.2.3.4"),
            ("X-Amzn-Trace-Id", "trace"),
            ("Via", "proxy"),
            ("Referer", "https://example.com"),
            ("Connection", "keep-alive"),
            ("ot-tracer", "x"),
            ("X-Twilio-Signature", "sig"),
        ])));
        assert_eq!(
            built,
            json!({
                "content-type": "text/plain",
                "x-custom": ["a", "b", "c"],
                "x-twilio-signature": "sig"
            })
        );
    }

    #[test]
    fn cookies_are_parsed_like_cookie_parser() {
        let cookies = Value::Object(parse_cookies(&headers(&[
            (
                "Cookie",
                "a=1; b=\"quoted\"; enc=h%C3%A9llo; bad=%E0%A4%A; a=2",
            ),
            (
                "cookie",
                "j=j:{\"x\":1}; jf=j:false; plain=j:not-json; noequals",
            ),
        ])));
        assert_eq!(
            cookies,
            json!({
                "a": "1",
                "b": "quoted",
                "enc": "héllo",
                "bad": "%E0%A4%A",
                "j": {"x": 1},
                "jf": "j:false",
                "plain": "j:not-json"
            })
        );
    }

    #[test]
    fn context_has_path_and_domain_and_env_can_override_them() {
        let env = [
            ("GREETING".to_owned(), "ahoy".to_owned()),
            ("PATH".to_owned(), "/elsewhere".to_owned()),
        ];
        let context = Value::Object(construct_context("/random", &env));
        assert_eq!(
            context,
            json!({"PATH": "/elsewhere", "DOMAIN_NAME": "flowpen.local", "GREETING": "ahoy"})
        );
        let keys: Vec<&String> = context
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["PATH", "DOMAIN_NAME", "GREETING"]);
    }
}
