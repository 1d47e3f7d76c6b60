//! Pure: what a Function produced → the HTTP response twilio-run sends.
//!
//! twilio-run runs a Function in a child process by default ("forked" mode, "emulate production
//! environment"): `functionRunner.ts` classifies the `callback` arguments and the parent sends them
//! with Express 4 (`res.status`, `res.set`, `res.send`). This module reproduces that, including
//! Express's `Content-Type` rules, from the worker's description of the values ([`Payload`]).
//!
//! Decisions where the reference is an inference (functions-runtime.md §2.5–§2.7):
//! - `callback()` / `callback(null)`: 200, empty body, `Content-Type: application/json;
//!   charset=utf-8` (forked mode sets the JSON type before Express sends nothing).
//! - `callback(null, 42)` (a number, which Express 4 reads as a status code and so breaks the
//!   response): 500 with an explanation instead of a broken response. A number body in a
//!   `Twilio.Response` is treated the same way.
//! - `callback(err)` with an `Error`: the JSON `{message, name, stack}` twilio-run gives non-browser
//!   clients (Studio calls from Twilio's servers), not the HTML page it gives browsers.
//! - `callback('msg')`: 500 with the string as a `text/html` body (Express's default), as the
//!   reference table and Twilio's docs say ("the provided payload"), not the `NonError` JSON that
//!   forked mode's `deserializeError` would make of it.
//! - A `Twilio.Response` string body without `Content-Type`: `text/html; charset=utf-8`.
//! - A thrown `undefined`/`null` (twilio-run would leave the request hanging): 500, explained.
//! - Only the Function's own headers are sent: Express's transport headers (`X-Powered-By`, `ETag`,
//!   `Date`, `Content-Length`, the `--live` no-cache headers) are not emulated.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use flowpen_engine::HttpResponse;

use super::message::{ErrorParts, HeaderValue, Outcome, Payload, ResponseParts};

/// `res.type('text')` after Express's charset rule.
pub(crate) const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
/// Express's default type for a string body.
pub(crate) const TEXT_HTML: &str = "text/html; charset=utf-8";
/// The type of a TwiML response.
pub(crate) const TEXT_XML: &str = "text/xml; charset=utf-8";
/// The type of a JSON response.
pub(crate) const APPLICATION_JSON: &str = "application/json; charset=utf-8";

fn respond(status: u16, content_type: &str, body: impl Into<String>) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
        body: body.into(),
    }
}

/// An answer made by the host itself (not by a Function): plain text explaining what happened.
pub fn host_error(status: u16, message: &str) -> HttpResponse {
    respond(status, TEXT_PLAIN, message)
}

/// twilio-run's answer for a path that has no Function.
pub(crate) fn not_found() -> HttpResponse {
    respond(404, TEXT_HTML, "Could not find requested resource")
}

/// twilio-run's automatic answer to `OPTIONS` on a known path (the Function is not invoked).
pub(crate) fn preflight() -> HttpResponse {
    let headers = [
        ("access-control-allow-origin", "*"),
        (
            "access-control-allow-headers",
            "Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, \
             If-Unmodified-Since, User-Agent",
        ),
        ("access-control-allow-methods", "GET, POST, OPTIONS"),
        ("access-control-expose-headers", "ETag"),
        ("access-control-max-age", "86400"),
        ("access-control-allow-credentials", "true"),
        ("content-type", "text/plain; charset=UTF-8"),
        ("content-length", "0"),
    ];
    HttpResponse {
        status: 204,
        headers: headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        body: String::new(),
    }
}

/// The gateway's answer when a Function does not call `callback` in time (production: 504).
pub(crate) fn timeout(timeout_ms: u32) -> HttpResponse {
    host_error(
        504,
        &format!(
            "504 Gateway Time-out: the Function did not call callback within {timeout_ms} ms, so \
             it was stopped"
        ),
    )
}

/// The response for a Function's outcome; a `HEAD` request gets the headers without the body.
pub(crate) fn from_outcome(outcome: &Outcome, method: &str) -> HttpResponse {
    let mut response = match outcome {
        Outcome::Success(payload) => success(payload),
        Outcome::Failure(error) => failure(error),
        Outcome::Threw { error, .. } => thrown(error),
    };
    if method.eq_ignore_ascii_case("HEAD") {
        response.body.clear();
    }
    response
}

/// `callback(null, payload)`, as functionRunner's `handleSuccess` and Express send it.
pub(crate) fn success(payload: &Payload) -> HttpResponse {
    match payload {
        Payload::String(text) => respond(200, TEXT_PLAIN, text.as_str()),
        Payload::Twiml(xml) => respond(200, TEXT_XML, xml.as_str()),
        Payload::Response(parts) => custom(parts),
        Payload::Undefined | Payload::Null => respond(200, APPLICATION_JSON, ""),
        Payload::Json(text) => respond(200, APPLICATION_JSON, text.as_str()),
        Payload::Boolean(flag) => respond(200, APPLICATION_JSON, flag.to_string()),
        // JSON.stringify(new Error(…)) is "{}": an Error's own properties are not enumerable.
        Payload::Error(_) => respond(200, APPLICATION_JSON, "{}"),
        Payload::Number(number) => host_error(
            500,
            &format!(
                "callback(null, {number}): a number is not a valid response (twilio-run hands it \
                 to Express's res.send, which reads it as a status code); return a string or an \
                 object instead"
            ),
        ),
        Payload::Unserializable(problem) => host_error(
            500,
            &format!("callback(null, value): the value cannot be serialised as JSON: {problem}"),
        ),
    }
}

/// `callback(err)` with a truthy `err`: 500, as twilio-run's `handleError` sends it.
pub(crate) fn failure(error: &Payload) -> HttpResponse {
    match error {
        Payload::Error(parts) => respond(500, APPLICATION_JSON, error_json(parts)),
        Payload::String(text) => respond(500, TEXT_HTML, text.as_str()),
        Payload::Json(text) | Payload::Number(text) => {
            respond(500, APPLICATION_JSON, text.as_str())
        }
        Payload::Boolean(flag) => respond(500, APPLICATION_JSON, flag.to_string()),
        Payload::Unserializable(problem) => host_error(
            500,
            &format!("callback(error): the error cannot be serialised as JSON: {problem}"),
        ),
        Payload::Undefined | Payload::Null | Payload::Twiml(_) | Payload::Response(_) => {
            host_error(
                500,
                "the Function failed without an error value that can be sent",
            )
        }
    }
}

/// A thrown value or rejected promise: 500, like `callback(err)`.
fn thrown(error: &Payload) -> HttpResponse {
    match error {
        Payload::Undefined => host_error(500, "the Function threw undefined"),
        Payload::Null => host_error(500, "the Function threw null"),
        other => failure(other),
    }
}

/// The body twilio-run sends for an `Error`: `{message, name, stack}` (no `stack` when it has none).
pub(crate) fn error_json(error: &ErrorParts) -> String {
    let mut object = Map::new();
    object.insert("message".to_owned(), Value::String(error.message.clone()));
    object.insert("name".to_owned(), Value::String(error.name.clone()));
    if let Some(stack) = &error.stack {
        object.insert("stack".to_owned(), Value::String(stack.clone()));
    }
    Value::Object(object).to_string()
}

/// `callback(null, new Twilio.Response())`: `res.status(code)`, `res.set(headers)`, `res.send(body)`.
pub(crate) fn custom(parts: &ResponseParts) -> HttpResponse {
    let Some(status) = status_code(&parts.status) else {
        return host_error(
            500,
            &format!(
                "Twilio.Response: {} is not a valid HTTP status code",
                parts.status
            ),
        );
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &parts.headers {
        let is_content_type = name.eq_ignore_ascii_case("content-type");
        let values = match value {
            HeaderValue::Many(_) if is_content_type => {
                return host_error(
                    500,
                    "Twilio.Response: Content-Type cannot be set to an Array (Express refuses it)",
                );
            }
            HeaderValue::Many(values) => values.clone(),
            HeaderValue::One(value) if is_content_type => vec![express_content_type(value)],
            HeaderValue::One(value) => vec![value.clone()],
        };
        set_header(&mut headers, name, values);
    }
    let body = match &parts.body {
        Payload::Undefined => String::new(),
        Payload::Null => {
            charset_on_existing_type(&mut headers);
            String::new()
        }
        Payload::String(text) | Payload::Twiml(text) => {
            if find_header(&headers, "content-type").is_none() {
                set_header(&mut headers, "Content-Type", vec![TEXT_HTML.to_owned()]);
            }
            charset_on_existing_type(&mut headers);
            text.clone()
        }
        Payload::Json(text) => json_body(&mut headers, text),
        Payload::Boolean(flag) => json_body(&mut headers, &flag.to_string()),
        Payload::Error(_) => json_body(&mut headers, "{}"),
        Payload::Number(number) => {
            return host_error(
                500,
                &format!(
                    "Twilio.Response: a number body ({number}) is not a valid response (Express \
                     reads it as a status code); set a string or an object instead"
                ),
            );
        }
        Payload::Unserializable(problem) => {
            return host_error(
                500,
                &format!("Twilio.Response: the body cannot be serialised as JSON: {problem}"),
            );
        }
        Payload::Response(_) => {
            return host_error(
                500,
                "Twilio.Response: the body cannot be another Twilio.Response",
            );
        }
    };
    // Express sends no body and no Content-Type with 204 and 304.
    if status == 204 || status == 304 {
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        return HttpResponse {
            status,
            headers,
            body: String::new(),
        };
    }
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// Express's `res.json`: `application/json` unless a type is set, then the string-body charset.
fn json_body(headers: &mut Vec<(String, String)>, text: &str) -> String {
    if find_header(headers, "content-type").is_none() {
        set_header(headers, "Content-Type", vec!["application/json".to_owned()]);
    }
    charset_on_existing_type(headers);
    text.to_owned()
}

/// Node's `statusCode |= 0` check: an integer (or numeric text) from 100 to 999.
fn status_code(value: &Value) -> Option<u16> {
    let number = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    let truncated = number.trunc();
    // The range check makes the conversion exact.
    (100.0..=999.0)
        .contains(&truncated)
        .then_some(truncated as u16)
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Node's `setHeader`: replaces every value of the (case-insensitive) name, where it first was.
fn set_header(headers: &mut Vec<(String, String)>, name: &str, values: Vec<String>) {
    let position = headers
        .iter()
        .position(|(key, _)| key.eq_ignore_ascii_case(name))
        .unwrap_or(headers.len());
    headers.retain(|(key, _)| !key.eq_ignore_ascii_case(name));
    let position = position.min(headers.len());
    let entries = values.into_iter().map(|value| (name.to_owned(), value));
    headers.splice(position..position, entries);
}

/// Express's `res.send` with a string: `setCharset(type, 'utf-8')` on an existing `Content-Type`.
fn charset_on_existing_type(headers: &mut [(String, String)]) {
    if let Some((_, value)) = headers
        .iter_mut()
        .find(|(key, _)| key.eq_ignore_ascii_case("content-type"))
    {
        *value = with_utf8_charset(value);
    }
}

/// Express's `res.set('Content-Type', value)`: a text, JavaScript or JSON type without a charset
/// gets `; charset=utf-8`.
pub(crate) fn express_content_type(value: &str) -> String {
    let has_charset = value.split(';').skip(1).any(|param| {
        param
            .trim_start()
            .split_once('=')
            .is_some_and(|(name, _)| name.trim_end() == "charset")
    });
    let media = value.split(';').next().unwrap_or_default();
    let text_like = media.starts_with("text/")
        || media.starts_with("application/javascript")
        || media.starts_with("application/json");
    if has_charset || !text_like {
        value.to_owned()
    } else {
        format!("{value}; charset=utf-8")
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+.^_`|~-".contains(c)
}

fn is_token(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_token_char)
}

/// The `content-type` package's parse → `charset=utf-8` → format, which Express applies to every
/// string body: the type is lower-cased and the parameters sorted by name, one per name (its parse
/// keeps the last value of a name given twice). A value it cannot parse is left as it is (Express
/// would fail the response).
pub(crate) fn with_utf8_charset(value: &str) -> String {
    parse_content_type(value).map_or_else(
        || value.to_owned(),
        |(media, params)| {
            // By name, one per name: inserting in order keeps the last value given. Built by
            // insertion, not `collect` (which sorts first: one more copy of the sort in the app).
            let mut kept = BTreeMap::new();
            for (name, value) in params {
                if name != "charset" {
                    kept.insert(name, value);
                }
            }
            kept.insert("charset".to_owned(), "utf-8".to_owned());
            let mut out = media;
            for (name, value) in kept {
                let value = if is_token(&value) {
                    value
                } else {
                    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
                };
                out.push_str(&format!("; {name}={value}"));
            }
            out
        },
    )
}

/// `type/subtype` (lower-cased) and its parameters (names lower-cased, quotes removed).
fn parse_content_type(value: &str) -> Option<(String, Vec<(String, String)>)> {
    let (media, mut rest) = value.split_once(';').unwrap_or((value, ""));
    let media = media.trim();
    let (kind, subtype) = media.split_once('/')?;
    if !is_token(kind) || !is_token(subtype) {
        return None;
    }
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if rest.is_empty() {
            break;
        }
        let name_end = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        let after = after.trim_start_matches([' ', '\t']).strip_prefix('=')?;
        let after = after.trim_start_matches([' ', '\t']);
        let quoted_value = after.starts_with('"');
        let (param_value, after) = if let Some(quoted) = after.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((index, c)) = chars.next() {
                match c {
                    '"' => {
                        end = Some(index + 1);
                        break;
                    }
                    '\\' => text.push(chars.next()?.1),
                    _ => text.push(c),
                }
            }
            (text, &quoted[end?..])
        } else {
            let value_end = after
                .find(|c: char| !is_token_char(c))
                .unwrap_or(after.len());
            let (token, after) = after.split_at(value_end);
            (token.to_owned(), after)
        };
        if name.is_empty() || (param_value.is_empty() && !quoted_value) {
            return None;
        }
        params.push((name.to_ascii_lowercase(), param_value));
        let after = after.trim_start_matches([' ', '\t']);
        rest = match after.strip_prefix(';') {
            Some(next) => next,
            None if after.is_empty() => "",
            None => return None,
        };
    }
    Some((media.to_ascii_lowercase(), params))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{
        custom, express_content_type, failure, from_outcome, success, with_utf8_charset,
        APPLICATION_JSON, TEXT_HTML, TEXT_PLAIN, TEXT_XML,
    };
    use crate::functions::message::{ErrorParts, HeaderValue, Outcome, Payload, ResponseParts};
    use flowpen_engine::HttpResponse;

    fn one(status: u16, content_type: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.to_owned(),
        }
    }

    fn response(
        status: serde_json::Value,
        headers: &[(&str, HeaderValue)],
        body: Payload,
    ) -> ResponseParts {
        ResponseParts {
            status,
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect(),
            body,
        }
    }

    fn one_value(value: &str) -> HeaderValue {
        HeaderValue::One(value.to_owned())
    }

    fn boom() -> ErrorParts {
        ErrorParts {
            name: "TypeError".to_owned(),
            message: "boom".to_owned(),
            stack: Some("TypeError: boom\n    at exports.handler (functions/x.js:1:7)".to_owned()),
        }
    }

    #[test]
    fn callback_payloads_map_like_twilio_run() {
        assert_eq!(
            success(&Payload::String("hi".to_owned())),
            one(200, TEXT_PLAIN, "hi")
        );
        assert_eq!(
            success(&Payload::Twiml(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".to_owned()
            )),
            one(
                200,
                TEXT_XML,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"
            )
        );
        assert_eq!(
            success(&Payload::Json("{\"a\":1}".to_owned())),
            one(200, APPLICATION_JSON, "{\"a\":1}")
        );
        assert_eq!(
            success(&Payload::Json("[1,2]".to_owned())),
            one(200, APPLICATION_JSON, "[1,2]")
        );
        assert_eq!(
            success(&Payload::Boolean(true)),
            one(200, APPLICATION_JSON, "true")
        );
        assert_eq!(success(&Payload::Undefined), one(200, APPLICATION_JSON, ""));
        assert_eq!(success(&Payload::Null), one(200, APPLICATION_JSON, ""));
        assert_eq!(
            success(&Payload::Error(boom())),
            one(200, APPLICATION_JSON, "{}")
        );
        let number = success(&Payload::Number("42".to_owned()));
        assert_eq!(
            (number.status, number.content_type()),
            (500, Some(TEXT_PLAIN))
        );
        assert!(
            number.body.contains("callback(null, 42)"),
            "{}",
            number.body
        );
        let circular = success(&Payload::Unserializable("circular structure".to_owned()));
        assert_eq!(circular.status, 500);
    }

    #[test]
    fn callback_errors_are_500() {
        let error = failure(&Payload::Error(boom()));
        assert_eq!(
            (error.status, error.content_type()),
            (500, Some(APPLICATION_JSON))
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&error.body).ok(),
            Some(json!({
                "message": "boom",
                "name": "TypeError",
                "stack": "TypeError: boom\n    at exports.handler (functions/x.js:1:7)"
            }))
        );
        let no_stack = ErrorParts {
            stack: None,
            ..boom()
        };
        assert_eq!(
            failure(&Payload::Error(no_stack)).body,
            r#"{"message":"boom","name":"TypeError"}"#
        );
        assert_eq!(
            failure(&Payload::String("Sorry".to_owned())),
            one(500, TEXT_HTML, "Sorry")
        );
        assert_eq!(
            failure(&Payload::Json("{\"a\":1}".to_owned())),
            one(500, APPLICATION_JSON, "{\"a\":1}")
        );
        assert_eq!(
            failure(&Payload::Number("7".to_owned())),
            one(500, APPLICATION_JSON, "7")
        );
        assert_eq!(
            failure(&Payload::Boolean(true)),
            one(500, APPLICATION_JSON, "true")
        );
    }

    #[test]
    fn throws_are_500_and_head_drops_the_body() {
        let threw = Outcome::Threw {
            during: "handler".to_owned(),
            error: Payload::Error(boom()),
        };
        assert_eq!(from_outcome(&threw, "GET").status, 500);
        let undefined = Outcome::Threw {
            during: "handler".to_owned(),
            error: Payload::Undefined,
        };
        let answer = from_outcome(&undefined, "POST");
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (500, "the Function threw undefined")
        );
        let head = from_outcome(&Outcome::Success(Payload::String("hi".to_owned())), "HEAD");
        assert_eq!(
            (head.status, head.body.as_str(), head.content_type()),
            (200, "", Some(TEXT_PLAIN))
        );
    }

    #[test]
    fn twilio_response_json_body_and_cookies() {
        let parts = response(
            json!(201),
            &[
                ("Content-Type", one_value("application/json")),
                (
                    "Set-Cookie",
                    HeaderValue::Many(vec!["a=1;Path=/".to_owned(), "b=;Max-Age=0".to_owned()]),
                ),
                ("X-Count", one_value("3")),
            ],
            Payload::String("{\"ok\":true}".to_owned()),
        );
        let answer = custom(&parts);
        assert_eq!(answer.status, 201);
        assert_eq!(
            answer.headers,
            vec![
                (
                    "Content-Type".to_owned(),
                    "application/json; charset=utf-8".to_owned()
                ),
                ("Set-Cookie".to_owned(), "a=1;Path=/".to_owned()),
                ("Set-Cookie".to_owned(), "b=;Max-Age=0".to_owned()),
                ("X-Count".to_owned(), "3".to_owned()),
            ]
        );
        assert_eq!(answer.body, "{\"ok\":true}");
    }

    #[test]
    fn twilio_response_bodies_follow_express_send() {
        // A string without a type is HTML; an empty Set-Cookie list sends no header.
        let html = custom(&response(
            json!(200),
            &[("Set-Cookie", HeaderValue::Many(Vec::new()))],
            Payload::String("This is fine".to_owned()),
        ));
        assert_eq!(html, one(200, TEXT_HTML, "This is fine"));
        // An object without a type is JSON.
        let object = custom(&response(
            json!(200),
            &[],
            Payload::Json("{\"a\":1}".to_owned()),
        ));
        assert_eq!(object, one(200, APPLICATION_JSON, "{\"a\":1}"));
        // A lower-case content-type is kept as written, with Express's charset.
        let lower = custom(&response(
            json!(200),
            &[("content-type", one_value("text/plain"))],
            Payload::String("x".to_owned()),
        ));
        assert_eq!(
            lower.headers,
            vec![("content-type".to_owned(), TEXT_PLAIN.to_owned())]
        );
        // Any string body gets a charset, even on a type Express's res.set leaves alone.
        let svg = custom(&response(
            json!("200"),
            &[("Content-Type", one_value("image/SVG+xml; q=1"))],
            Payload::String("<svg/>".to_owned()),
        ));
        assert_eq!(
            svg.header("content-type"),
            Some("image/svg+xml; charset=utf-8; q=1")
        );
        // No body at all (a fresh Response) sends nothing and sets no type.
        let empty = custom(&response(json!(200), &[], Payload::Null));
        assert_eq!(
            empty,
            HttpResponse {
                status: 200,
                headers: Vec::new(),
                body: String::new()
            }
        );
    }

    #[test]
    fn twilio_response_204_and_redirects() {
        let no_content = custom(&response(
            json!(204),
            &[("Content-Type", one_value("application/json"))],
            Payload::String("\"ignored\"".to_owned()),
        ));
        assert_eq!(
            no_content,
            HttpResponse {
                status: 204,
                headers: Vec::new(),
                body: String::new()
            }
        );
        let redirect = custom(&response(
            json!(301),
            &[("Location", one_value("https://twilio.com"))],
            Payload::Null,
        ));
        assert_eq!(redirect.status, 301);
        assert_eq!(redirect.header("location"), Some("https://twilio.com"));
    }

    #[test]
    fn twilio_response_errors_are_explained() {
        for status in [json!(42), json!(null), json!("abc"), json!(1000)] {
            let answer = custom(&response(status.clone(), &[], Payload::Null));
            assert_eq!(answer.status, 500, "{status}");
            assert!(answer.body.contains("status code"), "{}", answer.body);
        }
        let array_type = custom(&response(
            json!(200),
            &[("Content-Type", HeaderValue::Many(vec!["a/b".to_owned()]))],
            Payload::Null,
        ));
        assert_eq!(array_type.status, 500);
        let number = custom(&response(json!(200), &[], Payload::Number("5".to_owned())));
        assert_eq!(number.status, 500);
    }

    #[test]
    fn case_insensitive_duplicates_replace_each_other() {
        let answer = custom(&response(
            json!(200),
            &[
                ("X-A", one_value("1")),
                ("Content-Type", one_value("text/plain")),
                ("content-type", one_value("application/xml")),
            ],
            Payload::String("<a/>".to_owned()),
        ));
        assert_eq!(
            answer.headers,
            vec![
                ("X-A".to_owned(), "1".to_owned()),
                (
                    "content-type".to_owned(),
                    "application/xml; charset=utf-8".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn content_type_charset_rules() {
        assert_eq!(
            express_content_type("text/plain"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(express_content_type("application/json"), APPLICATION_JSON);
        assert_eq!(
            express_content_type("application/javascript"),
            "application/javascript; charset=utf-8"
        );
        assert_eq!(
            express_content_type("text/plain; charset=latin1"),
            "text/plain; charset=latin1"
        );
        assert_eq!(express_content_type("image/png"), "image/png");
        assert_eq!(express_content_type("Text/Plain"), "Text/Plain");
        assert_eq!(with_utf8_charset("text/plain; charset=latin1"), TEXT_PLAIN);
        assert_eq!(with_utf8_charset("Text/HTML"), TEXT_HTML);
        assert_eq!(
            with_utf8_charset("a/b; z=1; A=\"x y\""),
            "a/b; a=\"x y\"; charset=utf-8; z=1"
        );
        // A name given twice: the last value, once (content-type's parse fills an object).
        assert_eq!(
            with_utf8_charset("a/b; x=2; Y=3; x=1"),
            "a/b; charset=utf-8; x=1; y=3"
        );
        assert_eq!(with_utf8_charset("not a type"), "not a type");
        assert_eq!(with_utf8_charset("a/b; broken"), "a/b; broken");
    }
}
