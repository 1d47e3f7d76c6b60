//! Stubs in the simulator: per Run Function or Make HTTP Request widget, the answer the simulator
//! gives instead of making the call. The answer is the flow tests' stub model
//! ([`StubResponse`]: status, headers, body, a delay, or a network error), so a response tried in
//! the simulator reads the same in a test file. Saved with the project (`"stubs"` in the project
//! file); a stub switched off keeps its response, and the real call is made.
//!
//! ```json
//! "stubs": [{"widget": "get_num", "on": true, "status": 200,
//!            "headers": {"Content-Type": "application/json"}, "body": "{\"n\": 4}", "delay_ms": 0}]
//! ```
//!
//! `subflow` (the subflow's key, as for breakpoints) is there for a widget of a subflow; `error`
//! (a network error's message) replaces the response.

use flowpen_flow::json::{Json, Object, Seg};

use super::ShapeProblem;
use crate::flowtest::StubResponse;

/// The most stubs a project keeps (one per widget: more than any real flow has).
pub const MAX_STUBS: usize = 2_000;

/// The simulator's answer for one widget.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetStub {
    /// The subflow the widget belongs to (its key: SID, or name while it has none); `None` for
    /// the main flow.
    pub subflow: Option<String>,
    pub widget: String,
    /// Stubbed (`true`), or the real call is made (the response is kept for later).
    pub on: bool,
    pub response: StubResponse,
}

/// The stubs as the project file writes them.
pub(super) fn stubs_json(stubs: &[WidgetStub]) -> Json {
    Json::Array(
        stubs
            .iter()
            .map(|s| {
                let mut o = Object::new();
                o.set("widget", Json::str(s.widget.clone()));
                if let Some(sub) = &s.subflow {
                    o.set("subflow", Json::str(sub.clone()));
                }
                o.set("on", Json::Bool(s.on));
                let r = &s.response;
                o.set("status", Json::int(i64::from(r.status)));
                let mut headers = Object::new();
                for (k, v) in &r.headers {
                    headers.insert(headers.len(), k, Json::str(v.clone()));
                }
                o.set("headers", Json::Object(headers));
                o.set("body", Json::str(r.body.clone()));
                o.set(
                    "delay_ms",
                    Json::int(i64::try_from(r.delay_ms).unwrap_or(i64::MAX)),
                );
                if let Some(e) = &r.error {
                    o.set("error", Json::str(e.clone()));
                }
                Json::Object(o)
            })
            .collect(),
    )
}

/// Reads `"stubs"` (see the module docs).
pub(super) fn read_stubs(top: &Object) -> Result<Vec<WidgetStub>, ShapeProblem> {
    let items = match top.get("stubs") {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Array(items)) => items,
        Some(other) => {
            return Err((
                vec![Seg::Key("stubs".into())],
                format!("\"stubs\" must be a list, found {}", other.kind()),
            ))
        }
    };
    if items.len() > MAX_STUBS {
        return Err((
            vec![Seg::Key("stubs".into())],
            format!("a project keeps at most {MAX_STUBS} stubs"),
        ));
    }
    let mut out: Vec<WidgetStub> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = |key: Option<&str>| {
            let mut p = vec![Seg::Key("stubs".into()), Seg::Index(i)];
            p.extend(key.map(|k| Seg::Key(k.into())));
            p
        };
        let Json::Object(o) = item else {
            return Err((
                at(None),
                "a stub is an object with \"widget\", \"status\", \"headers\", \"body\" and \"delay_ms\"".into(),
            ));
        };
        let text = |key: &str| match o.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err((
                at(Some(key)),
                format!("\"{key}\" must be text, found {}", other.kind()),
            )),
        };
        let whole = |key: &str, max: u64| match o.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Number(n)) => match n.as_str().parse::<u64>() {
                Ok(v) if v <= max => Ok(Some(v)),
                _ => Err((
                    at(Some(key)),
                    format!("\"{key}\" must be a whole number from 0 to {max}"),
                )),
            },
            Some(other) => Err((
                at(Some(key)),
                format!("\"{key}\" must be a number, found {}", other.kind()),
            )),
        };
        let Some(widget) = text("widget")?.filter(|w| !w.is_empty()) else {
            return Err((at(None), "a stub names its \"widget\"".into()));
        };
        let subflow = text("subflow")?.filter(|s| !s.is_empty());
        let on = match o.get("on") {
            None | Some(Json::Null) => true,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                return Err((
                    at(Some("on")),
                    format!("\"on\" must be true or false, found {}", other.kind()),
                ))
            }
        };
        let status = whole("status", 999)?.map_or(200, |v| v as u16);
        let headers = match o.get("headers") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(h)) => {
                let mut out = Vec::with_capacity(h.len());
                for (k, v) in h.iter() {
                    let Json::String(v) = v else {
                        return Err((
                            at(Some("headers")),
                            format!("header \"{k}\" must be text, found {}", v.kind()),
                        ));
                    };
                    out.push((k.to_owned(), v.clone()));
                }
                out
            }
            Some(other) => {
                return Err((
                    at(Some("headers")),
                    format!(
                        "\"headers\" must be an object of names and values, found {}",
                        other.kind()
                    ),
                ))
            }
        };
        let stub = WidgetStub {
            subflow,
            widget,
            on,
            response: StubResponse {
                status,
                headers,
                body: text("body")?.unwrap_or_default(),
                // A day: any longer is the same timeout.
                delay_ms: whole("delay_ms", 86_400_000)?.unwrap_or(0),
                error: text("error")?,
            },
        };
        // One stub per widget: a later one replaces an earlier one.
        match out
            .iter_mut()
            .find(|s| s.widget == stub.widget && s.subflow == stub.subflow)
        {
            Some(s) => *s = stub,
            None => out.push(stub),
        }
    }
    Ok(out)
}
