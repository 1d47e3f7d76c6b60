//! Reading a test file: YAML (or JSON) text → [`TestFile`], or the first problem with its line
//! and column. Everything a case says is checked here, so a run never meets a malformed case.
//!
//! Bounds (besides the YAML reader's): at most [`MAX_CASES`] cases, [`MAX_STEPS`] steps a case,
//! [`MAX_STUBS`] stubbed URLs and [`MAX_RESPONSES`] responses a URL.

use serde_json::Value as Json;

use super::error::{ReadError, ReadErrorKind};
use super::matcher::TextMatch;
use super::model::{
    Action, Case, DataExpect, EndKind, Expect, ExpectStatus, Expected, FlowExpect, Place,
    RecordEnd, Start, Step, Stub, StubResponse, Stubs, TestFile, ValueMatch,
};
use super::time::{parse_duration_ms, parse_time_ms};
use super::yaml::{self, Key, Node, Pos, Scalar, Value};

pub const MAX_CASES: usize = 1000;
pub const MAX_STEPS: usize = 1000;
pub const MAX_STUBS: usize = 1000;
pub const MAX_RESPONSES: usize = 1000;
/// The most keys a caller presses in one step (the engine keeps 1,000 keys a Gather).
const MAX_KEYS: usize = 1000;
/// The longest wait or delay: 30 days.
const MAX_WAIT_MS: u64 = 30 * 24 * 3600 * 1000;

type Result<T> = std::result::Result<T, ReadError>;

fn place(p: Pos) -> Place {
    Place {
        line: p.line,
        column: p.column,
    }
}

fn err(at: Pos, kind: ReadErrorKind) -> ReadError {
    ReadError {
        line: at.line,
        column: at.column,
        kind,
    }
}

fn invalid(node: &Node, field: &str, why: impl Into<String>) -> ReadError {
    err(
        node.at,
        ReadErrorKind::Invalid {
            field: field.to_owned(),
            why: why.into(),
        },
    )
}

fn shape(node: &Node, field: &str, expected: &'static str) -> ReadError {
    err(
        node.at,
        ReadErrorKind::Shape {
            field: field.to_owned(),
            expected,
            found: node.kind(),
        },
    )
}

/// The entries of a mapping node.
fn entries<'a>(node: &'a Node, field: &str) -> Result<&'a [(Key, Node)]> {
    match &node.value {
        Value::Map(e) => Ok(e),
        _ => Err(shape(node, field, "a mapping")),
    }
}

/// The items of a list node.
fn items<'a>(node: &'a Node, field: &str) -> Result<&'a [Node]> {
    match &node.value {
        Value::Seq(i) => Ok(i),
        _ => Err(shape(node, field, "a list")),
    }
}

/// Refuses keys outside `allowed`.
fn known(
    entries: &[(Key, Node)],
    within: &'static str,
    allowed: &'static [&'static str],
) -> Result<()> {
    for (k, _) in entries {
        if !allowed.contains(&k.text.as_str()) {
            return Err(err(
                k.at,
                ReadErrorKind::UnknownKey {
                    key: k.text.clone(),
                    within,
                    allowed,
                },
            ));
        }
    }
    Ok(())
}

fn get<'a>(entries: &'a [(Key, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v)
}

/// A scalar's text, as written (`3.50` stays "3.50"); null is not text.
fn text(node: &Node, field: &str) -> Result<String> {
    match &node.value {
        Value::Scalar {
            kind: Scalar::Null, ..
        } => Err(invalid(
            node,
            field,
            "needs a value (write \"\" for empty text)",
        )),
        Value::Scalar { text, .. } => Ok(text.clone()),
        _ => Err(shape(node, field, "text")),
    }
}

fn boolean(node: &Node, field: &str) -> Result<bool> {
    match &node.value {
        Value::Scalar {
            kind: Scalar::Bool(b),
            ..
        } => Ok(*b),
        _ => Err(shape(node, field, "true or false")),
    }
}

/// A whole number within `min..=max`.
fn whole(node: &Node, field: &str, min: i64, max: i64) -> Result<i64> {
    match &node.value {
        Value::Scalar {
            kind: Scalar::Int(i),
            ..
        } if (min..=max).contains(i) => Ok(*i),
        Value::Scalar {
            kind: Scalar::Int(_) | Scalar::Float(_),
            ..
        } => Err(invalid(
            node,
            field,
            format!("must be a whole number from {min} to {max}"),
        )),
        _ => Err(shape(node, field, "a number")),
    }
}

/// A glob (text) or `{regex: "…"}` (or `{glob: "…"}`).
fn text_match(node: &Node, field: &str) -> Result<TextMatch> {
    match &node.value {
        Value::Map(e) => {
            known(e, "a text match", &["regex", "glob"])?;
            match (get(e, "regex"), get(e, "glob")) {
                (Some(r), None) => {
                    let source = text(r, "regex")?;
                    TextMatch::regex(&source).map_err(|why| invalid(r, "regex", why))
                }
                (None, Some(g)) => Ok(TextMatch::glob(&text(g, "glob")?)),
                _ => Err(invalid(node, field, "takes one of `regex` and `glob`")),
            }
        }
        _ => Ok(TextMatch::glob(&text(node, field)?)),
    }
}

/// Reads a test file. Errors point at a line and column of `text`.
pub fn parse(text_in: &str) -> Result<TestFile> {
    let root = yaml::parse(text_in).map_err(|e| err(e.at, ReadErrorKind::Yaml(e.kind)))?;
    if root.is_null() {
        return Err(err(
            root.at,
            ReadErrorKind::Missing {
                key: "tests",
                within: "the test file".into(),
            },
        ));
    }
    let top = entries(&root, "the test file")?;
    known(
        top,
        "the test file",
        &["flow", "functions", "env", "subflows", "stubs", "tests"],
    )?;
    let mut file = TestFile::default();
    if let Some(n) = get(top, "flow") {
        file.flow = Some(text(n, "flow")?);
    }
    for (key, field) in [("functions", 0), ("env", 1), ("subflows", 2)] {
        let Some(n) = get(top, key) else { continue };
        if n.is_null() {
            continue;
        }
        let mut pairs = Vec::new();
        for (k, v) in entries(n, key)? {
            pairs.push((k.text.clone(), text(v, &k.text)?));
        }
        match field {
            0 => file.functions = pairs,
            1 => file.env = pairs,
            _ => file.subflows = pairs,
        }
    }
    if let Some(n) = get(top, "stubs") {
        file.stubs = stubs(n)?;
    }
    let Some(tests) = get(top, "tests") else {
        return Err(err(
            root.at,
            ReadErrorKind::Missing {
                key: "tests",
                within: "the test file".into(),
            },
        ));
    };
    if !tests.is_null() {
        let list = items(tests, "tests")?;
        if list.len() > MAX_CASES {
            return Err(err(
                list[MAX_CASES].at,
                ReadErrorKind::TooMany {
                    what: "cases",
                    limit: MAX_CASES,
                },
            ));
        }
        for node in list {
            file.cases.push(case(node)?);
        }
    }
    Ok(file)
}

fn case(node: &Node) -> Result<Case> {
    let e = entries(node, "a case")?;
    known(
        e,
        "a case",
        &[
            "name",
            "start",
            "from",
            "to",
            "parameters",
            "time",
            "stubs",
            "conversation",
            "expect",
        ],
    )?;
    let mut c = Case {
        at: place(node.at),
        ..Case::default()
    };
    c.name = match get(e, "name") {
        Some(n) => text(n, "name")?,
        None => {
            return Err(err(
                node.at,
                ReadErrorKind::Missing {
                    key: "name",
                    within: "a case".into(),
                },
            ))
        }
    };
    if let Some(n) = get(e, "start") {
        let s = text(n, "start")?;
        c.start = Start::ALL
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, start)| *start)
            .ok_or_else(|| {
                invalid(
                    n,
                    "start",
                    format!("is one of message, call, rest, conversation, subflow (found \"{s}\")"),
                )
            })?;
    }
    for (key, slot) in [("from", &mut c.from), ("to", &mut c.to)] {
        if let Some(n) = get(e, key) {
            *slot = Some(text(n, key)?);
        }
    }
    if let Some(n) = get(e, "parameters") {
        if !n.is_null() {
            entries(n, "parameters")?;
            if c.start == Start::Call {
                for (k, v) in entries(n, "parameters")? {
                    if !matches!(v.value, Value::Scalar { .. }) {
                        return Err(shape(v, &k.text, "text (a call's webhook parameter)"));
                    }
                }
            }
            c.parameters = Some(n.to_json());
        }
        if c.start.by_message() {
            return Err(invalid(
                n,
                "parameters",
                "apply to `start: rest`, `call` and `subflow`; a message start has none",
            ));
        }
    }
    if let Some(n) = get(e, "time") {
        c.time_ms = Some(match &n.value {
            Value::Scalar {
                kind: Scalar::Int(ms),
                ..
            } if *ms >= 0 => *ms as u64,
            Value::Scalar {
                kind: Scalar::Str,
                text,
            } => parse_time_ms(text).ok_or_else(|| {
                invalid(
                    n,
                    "time",
                    "is a UTC time like 2026-01-05T17:00:00Z (or Unix milliseconds)",
                )
            })?,
            _ => {
                return Err(invalid(
                    n,
                    "time",
                    "is a UTC time like 2026-01-05T17:00:00Z (or Unix milliseconds)",
                ))
            }
        });
    }
    if let Some(n) = get(e, "stubs") {
        c.stubs = stubs(n)?;
    }
    if let Some(n) = get(e, "conversation") {
        if !n.is_null() {
            let list = items(n, "conversation")?;
            if list.len() > MAX_STEPS {
                return Err(err(
                    list[MAX_STEPS].at,
                    ReadErrorKind::TooMany {
                        what: "conversation steps",
                        limit: MAX_STEPS,
                    },
                ));
            }
            for s in list {
                c.conversation.push(step(s)?);
            }
        }
    }
    if c.start.by_message()
        && !matches!(
            c.conversation.first().map(|s| &s.action),
            Some(Action::Contact { .. })
        )
    {
        let at = get(e, "conversation").map_or(node.at, |n| match &n.value {
            Value::Seq(items) if !items.is_empty() => items[0].at,
            _ => n.at,
        });
        return Err(err(
            at,
            ReadErrorKind::Invalid {
                field: "conversation".into(),
                why: format!(
                "must begin with the contact's message for a {} start: make the first step `- contact: …`",
                c.start.name()
            ),
            },
        ));
    }
    if let Some(n) = get(e, "expect") {
        c.expect = expect(n)?;
    } else {
        c.expect.at = place(node.at);
    }
    Ok(c)
}

/// The keys a step may have besides its action.
const STEP_KEYS: &[&str] = &[
    "contact",
    "flow",
    "timeout",
    "wait",
    "press",
    "speech",
    "record",
    "hangup",
    "event",
    "media",
    "widget",
    "fail",
    "confidence",
    "duration",
    "end",
    "variables",
];

const ACTIONS: &[&str] = &[
    "contact", "flow", "timeout", "wait", "press", "speech", "record", "hangup", "event",
];

fn step(node: &Node) -> Result<Step> {
    let at = place(node.at);
    if let Value::Scalar {
        kind: Scalar::Str,
        text,
    } = &node.value
    {
        return match text.as_str() {
            "timeout" => Ok(Step {
                at,
                action: Action::Timeout,
            }),
            "hangup" => Ok(Step {
                at,
                action: Action::Hangup,
            }),
            other => Err(invalid(
                node,
                "a step",
                format!(
                    "\"{other}\" is not a step; a step is `timeout`, `hangup` or a mapping such as `contact: hi` or `flow: Hello*`"
                ),
            )),
        };
    }
    let e = entries(node, "a step")?;
    known(e, "a step", STEP_KEYS)?;
    let actions: Vec<&(Key, Node)> = e
        .iter()
        .filter(|(k, _)| ACTIONS.contains(&k.text.as_str()))
        .collect();
    let [(key, value)] = actions.as_slice() else {
        return Err(invalid(
            node,
            "a step",
            "has exactly one of contact, flow, timeout, wait, press, speech, record, hangup, event",
        ));
    };
    let allowed: &[&str] = match key.text.as_str() {
        "contact" => &["media"],
        "flow" => &["media", "widget", "fail"],
        "speech" => &["confidence"],
        "record" => &["duration", "end"],
        "event" => &["variables"],
        _ => &[],
    };
    for (k, _) in e {
        if k.text != key.text && !allowed.contains(&k.text.as_str()) {
            return Err(err(
                k.at,
                ReadErrorKind::Invalid {
                    field: k.text.clone(),
                    why: format!("does not go with `{}`", key.text),
                },
            ));
        }
    }
    let action = match key.text.as_str() {
        "contact" => {
            let media = match get(e, "media") {
                None => Vec::new(),
                Some(m) => match &m.value {
                    Value::Seq(list) => list
                        .iter()
                        .map(|n| text(n, "media"))
                        .collect::<Result<Vec<_>>>()?,
                    _ => vec![text(m, "media")?],
                },
            };
            Action::Contact {
                text: text(value, "contact")?,
                media,
            }
        }
        "flow" => Action::Flow(FlowExpect {
            what: expected(value)?,
            media: get(e, "media")
                .map(|m| text_match(m, "media"))
                .transpose()?,
            widget: get(e, "widget").map(|w| text(w, "widget")).transpose()?,
            fail: get(e, "fail")
                .map(|f| boolean(f, "fail"))
                .transpose()?
                .unwrap_or(false),
        }),
        "timeout" | "hangup" => {
            if !value.is_null() {
                return Err(invalid(
                    value,
                    &key.text,
                    format!("takes no value: write `- {}`", key.text),
                ));
            }
            if key.text == "timeout" {
                Action::Timeout
            } else {
                Action::Hangup
            }
        }
        "wait" => Action::Wait {
            ms: duration(value, "wait")?,
        },
        "press" => {
            let keys = text(value, "press")?;
            if keys.is_empty()
                || keys.chars().count() > MAX_KEYS
                || !keys
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
            {
                return Err(invalid(
                    value,
                    "press",
                    format!("is keys of a phone: 0-9, * and # (1 to {MAX_KEYS} of them)"),
                ));
            }
            Action::Press { keys }
        }
        "speech" => {
            let confidence = match get(e, "confidence") {
                None => 0.9,
                Some(c) => match &c.value {
                    Value::Scalar {
                        kind: Scalar::Int(i),
                        ..
                    } if (0..=1).contains(i) => *i as f64,
                    Value::Scalar {
                        kind: Scalar::Float(f),
                        ..
                    } if (0.0..=1.0).contains(f) => *f,
                    _ => return Err(invalid(c, "confidence", "is a number from 0 to 1")),
                },
            };
            Action::Speech {
                text: text(value, "speech")?,
                confidence,
            }
        }
        "record" => {
            let duration_s = get(e, "duration")
                .map(|d| whole(d, "duration", 0, 14_400).map(|s| s as u64))
                .transpose()?;
            let end = match get(e, "end") {
                None => RecordEnd::Silence,
                Some(n) => {
                    let t = text(n, "end")?;
                    match t.as_str() {
                        "silence" => RecordEnd::Silence,
                        "hangup" => RecordEnd::Hangup,
                        "max-length" => RecordEnd::MaxLength,
                        k if k.chars().count() == 1
                            && k.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '#') =>
                        {
                            RecordEnd::Key(k.chars().next().unwrap_or('#'))
                        }
                        _ => {
                            return Err(invalid(
                                n,
                                "end",
                                "is silence, hangup, max-length or the key that ends the recording (\"#\")",
                            ))
                        }
                    }
                }
            };
            Action::Record {
                text: text(value, "record")?,
                duration_s,
                end,
            }
        }
        _ => {
            let mut variables = Vec::new();
            if let Some(v) = get(e, "variables") {
                if !v.is_null() {
                    for (k, val) in entries(v, "variables")? {
                        variables.push((k.text.clone(), val.to_json()));
                    }
                }
            }
            Action::Event {
                name: text(value, "event")?,
                variables,
            }
        }
    };
    Ok(Step { at, action })
}

/// `flow:`'s value: a glob, `{regex: …}`, or `{say|play|digits: glob or {regex: …}}`.
fn expected(node: &Node) -> Result<Expected> {
    if let Value::Map(e) = &node.value {
        if e.len() == 1 {
            let (k, v) = &e[0];
            let m = || text_match(v, &k.text);
            match k.text.as_str() {
                "say" => return Ok(Expected::Say(m()?)),
                "play" => return Ok(Expected::Play(m()?)),
                "digits" => return Ok(Expected::Digits(m()?)),
                _ => {}
            }
        }
        known(
            e,
            "a flow step",
            &["regex", "glob", "say", "play", "digits"],
        )?;
    }
    Ok(Expected::Message(text_match(node, "flow")?))
}

fn duration(node: &Node, field: &str) -> Result<u64> {
    let ms = match &node.value {
        Value::Scalar {
            kind: Scalar::Int(s),
            ..
        } if *s >= 0 => (*s as u64).checked_mul(1000),
        Value::Scalar {
            kind: Scalar::Float(s),
            ..
        } if s.is_finite() && *s >= 0.0 && *s < 1e12 => Some((s * 1000.0).round() as u64),
        Value::Scalar {
            kind: Scalar::Str,
            text,
        } => parse_duration_ms(text),
        _ => None,
    };
    ms.filter(|ms| *ms <= MAX_WAIT_MS).ok_or_else(|| {
        invalid(
            node,
            field,
            "is a duration like 30s, 1500ms, 5m, 2h or 1m30s (a number is seconds), at most 30 days",
        )
    })
}

fn stubs(node: &Node) -> Result<Stubs> {
    let mut out = Stubs::default();
    if node.is_null() {
        return Ok(out);
    }
    let e = entries(node, "stubs")?;
    if e.len() > MAX_STUBS {
        return Err(err(
            e[MAX_STUBS].0.at,
            ReadErrorKind::TooMany {
                what: "stubbed URLs",
                limit: MAX_STUBS,
            },
        ));
    }
    for (k, v) in e {
        let responses = match &v.value {
            Value::Seq(list) => {
                if list.is_empty() {
                    return Err(invalid(v, &k.text, "lists at least one response"));
                }
                if list.len() > MAX_RESPONSES {
                    return Err(err(
                        list[MAX_RESPONSES].at,
                        ReadErrorKind::TooMany {
                            what: "responses for one URL",
                            limit: MAX_RESPONSES,
                        },
                    ));
                }
                list.iter().map(response).collect::<Result<Vec<_>>>()?
            }
            _ => vec![response(v)?],
        };
        out.entries.push(Stub {
            url: k.text.clone(),
            at: place(k.at),
            responses,
        });
    }
    Ok(out)
}

fn response(node: &Node) -> Result<StubResponse> {
    let e = entries(node, "a stubbed response")?;
    known(
        e,
        "a stubbed response",
        &["status", "headers", "body", "json", "delay_ms", "error"],
    )?;
    let mut r = StubResponse::default();
    if let Some(n) = get(e, "status") {
        r.status = whole(n, "status", 100, 599)? as u16;
    }
    if let Some(n) = get(e, "headers") {
        if !n.is_null() {
            for (k, v) in entries(n, "headers")? {
                match &v.value {
                    Value::Seq(list) => {
                        for item in list {
                            r.headers.push((k.text.clone(), text(item, &k.text)?));
                        }
                    }
                    _ => r.headers.push((k.text.clone(), text(v, &k.text)?)),
                }
            }
        }
    }
    match (get(e, "body"), get(e, "json")) {
        (Some(b), Some(_)) => {
            return Err(invalid(b, "body", "and `json` cannot both be given"));
        }
        (Some(b), None) => r.body = text(b, "body")?,
        (None, Some(j)) => {
            r.body = j.to_json().to_string();
            if !r
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                r.headers
                    .push(("content-type".into(), "application/json".into()));
            }
        }
        (None, None) => {}
    }
    if let Some(n) = get(e, "delay_ms") {
        r.delay_ms = whole(n, "delay_ms", 0, MAX_WAIT_MS as i64)? as u64;
    }
    if let Some(n) = get(e, "error") {
        if let Some((k, _)) = e
            .iter()
            .find(|(k, _)| matches!(k.text.as_str(), "status" | "headers" | "body" | "json"))
        {
            return Err(err(
                k.at,
                ReadErrorKind::Invalid {
                    field: k.text.clone(),
                    why: "does not go with `error` (a network error has no response)".into(),
                },
            ));
        }
        r.error = Some(text(n, "error")?);
    }
    Ok(r)
}

fn expect(node: &Node) -> Result<Expect> {
    let mut x = Expect {
        at: place(node.at),
        ..Expect::default()
    };
    if node.is_null() {
        return Ok(x);
    }
    let e = entries(node, "expect")?;
    known(e, "expect", &["status", "reason", "path", "flow_data"])?;
    if let Some(n) = get(e, "status") {
        let s = text(n, "status")?;
        x.status = match s.as_str() {
            "ended" => ExpectStatus::Ended,
            "waiting" => ExpectStatus::Waiting,
            other => ExpectStatus::Kind(
                EndKind::ALL
                    .iter()
                    .find(|(name, _)| *name == other)
                    .map(|(_, k)| *k)
                    .ok_or_else(|| {
                        invalid(
                            n,
                            "status",
                            format!(
                                "is ended, waiting or one of {} (found \"{other}\")",
                                EndKind::ALL
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?,
            ),
        };
    }
    if let Some(n) = get(e, "reason") {
        x.reason = Some(text_match(n, "reason")?);
    }
    if let Some(n) = get(e, "path") {
        let list = items(n, "path")?;
        x.path = Some((
            place(n.at),
            list.iter()
                .map(|w| text(w, "path"))
                .collect::<Result<Vec<_>>>()?,
        ));
    }
    if let Some(n) = get(e, "flow_data") {
        if !n.is_null() {
            for (k, v) in entries(n, "flow_data")? {
                if k.text.trim().is_empty() {
                    return Err(invalid(
                        v,
                        "flow_data",
                        "a path is like flow.variables.count",
                    ));
                }
                x.flow_data.push(DataExpect {
                    at: place(k.at),
                    path: k.text.clone(),
                    value: value_match(v)?,
                });
            }
        }
    }
    Ok(x)
}

fn value_match(node: &Node) -> Result<ValueMatch> {
    Ok(match &node.value {
        Value::Scalar { kind, text } => match kind {
            Scalar::Null => ValueMatch::Null,
            Scalar::Bool(b) => ValueMatch::Scalar(b.to_string()),
            _ => ValueMatch::Scalar(text.clone()),
        },
        Value::Seq(list) => ValueMatch::List(list.iter().map(value_match).collect::<Result<_>>()?),
        Value::Map(e) => {
            if e.len() == 1 && matches!(e[0].0.text.as_str(), "glob" | "regex") {
                ValueMatch::Text(text_match(node, "flow_data")?)
            } else {
                ValueMatch::Map(
                    e.iter()
                        .map(|(k, v)| Ok((k.text.clone(), value_match(v)?)))
                        .collect::<Result<_>>()?,
                )
            }
        }
    })
}

/// Used by tests and by readers of numbers: a JSON value's text as Liquid prints a scalar.
pub(crate) fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
