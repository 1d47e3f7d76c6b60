//! The messages a Function's worker (and the sandbox around it) send back to the host, parsed.
//!
//! Every message is JSON text: `{"type":"log","level":…,"text":…}` for console output, one
//! `{"type":"outcome","outcome":…}` ([`Outcome`]) when the Function called back or threw,
//! `{"type":"timeout"}` when the time limit passed, `{"type":"crash","message":…}` when the worker
//! could not run. Nothing here panics on any text; a message that is not what it should be is a
//! [`MessageError`].

use std::fmt;

use serde_json::Value;

use super::LogLine;

/// Why a message from the sandbox could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum MessageError {
    /// The text is not JSON (serde_json's explanation).
    NotJson(String),
    /// A field is missing or not a string.
    Field(&'static str),
    /// A required member is missing.
    Missing(&'static str),
    /// An outcome of a kind this host does not know.
    OutcomeKind(String),
    /// A value of a type this host does not know.
    ValueType(String),
    /// The response headers are not a list of `[name, value]` pairs.
    Headers(&'static str),
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::NotJson(e) => write!(f, "not JSON ({e})"),
            MessageError::Field(name) => {
                write!(f, "the field {name} is missing or not a string")
            }
            MessageError::Missing(what) => write!(f, "{what} is missing"),
            MessageError::OutcomeKind(k) => write!(f, "unknown outcome kind {k}"),
            MessageError::ValueType(t) => write!(f, "unknown value type {t}"),
            MessageError::Headers(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for MessageError {}

/// A message from the sandbox, parsed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum WorkerMessage {
    /// Console output of the Function.
    Log(LogLine),
    /// What the Function produced; the last message of a call.
    Outcome(Outcome),
    /// The time limit passed and the worker was stopped.
    Timeout,
    /// The worker could not run (the message says why).
    Crash(String),
    /// A message of a type this host does not know; ignored.
    Other,
}

/// How a call ended.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// `callback(null, payload)` (or any falsy first argument, as twilio-run tests `if (err)`).
    Success(Payload),
    /// `callback(err)` with a truthy `err`.
    Failure(Payload),
    /// The Function threw, its promise rejected, an error went uncaught, or its code did not load
    /// (`during` is `load`, `handler`, `callback` or `uncaught`).
    Threw {
        /// When it happened.
        during: String,
        /// The thrown value.
        error: Payload,
    },
}

/// A JavaScript value as the worker describes it (after twilio-run's JSON round trip).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Payload {
    /// `undefined` (also functions and symbols, which JSON drops).
    Undefined,
    /// `null`.
    Null,
    /// A string.
    String(String),
    /// A number, as `JSON.stringify` writes it.
    Number(String),
    /// A boolean.
    Boolean(bool),
    /// An object or array, as `JSON.stringify` writes it.
    Json(String),
    /// A value `JSON.stringify` refuses (a cycle, a `BigInt`); the text is its error message.
    Unserializable(String),
    /// A `VoiceResponse`/`MessagingResponse`/`FaxResponse`: its XML.
    Twiml(String),
    /// A `Twilio.Response`, serialised as twilio-run's `serialize()` does.
    Response(Box<ResponseParts>),
    /// An `Error`.
    Error(ErrorParts),
}

/// A `Twilio.Response`: status as given, headers in order, and the body.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ResponseParts {
    /// `statusCode` as the Function set it (a number or a string; `null` for anything else).
    pub status: Value,
    /// Headers in order, values turned into strings.
    pub headers: Vec<(String, HeaderValue)>,
    /// The body after `serialize()` (JSON text when `Content-Type` is JSON).
    pub body: Payload,
}

/// A header value of a `Twilio.Response`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum HeaderValue {
    /// A single value.
    One(String),
    /// A list (sent as one header line per value).
    Many(Vec<String>),
}

/// An `Error`'s name, message and stack (without the runtime's own frames).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorParts {
    /// `error.name`.
    pub name: String,
    /// `error.message`.
    pub message: String,
    /// `error.stack`, when it is a string.
    pub stack: Option<String>,
}

fn text_field<'a>(value: &'a Value, name: &'static str) -> Result<&'a str, MessageError> {
    value
        .get(name)
        .and_then(Value::as_str)
        .ok_or(MessageError::Field(name))
}

/// Parses one message from the sandbox.
pub(crate) fn parse_message(text: &str) -> Result<WorkerMessage, MessageError> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| MessageError::NotJson(error.to_string()))?;
    match text_field(&value, "type")? {
        "log" => {
            let level = match text_field(&value, "level")? {
                level @ ("log" | "info" | "warn" | "error") => level,
                _ => "log",
            };
            Ok(WorkerMessage::Log(LogLine::new(
                level,
                text_field(&value, "text")?,
            )))
        }
        "outcome" => {
            let outcome = value
                .get("outcome")
                .ok_or(MessageError::Missing("the outcome"))?;
            parse_outcome(outcome).map(WorkerMessage::Outcome)
        }
        "timeout" => Ok(WorkerMessage::Timeout),
        "crash" => Ok(WorkerMessage::Crash(
            text_field(&value, "message")
                .unwrap_or("the Function's worker failed")
                .to_owned(),
        )),
        _ => Ok(WorkerMessage::Other),
    }
}

fn parse_outcome(value: &Value) -> Result<Outcome, MessageError> {
    match text_field(value, "kind")? {
        "callback" => match value.get("error") {
            Some(error) => parse_payload(error).map(Outcome::Failure),
            None => parse_payload(
                value
                    .get("payload")
                    .ok_or(MessageError::Missing("the payload"))?,
            )
            .map(Outcome::Success),
        },
        "threw" => Ok(Outcome::Threw {
            during: text_field(value, "during")?.to_owned(),
            error: parse_payload(
                value
                    .get("error")
                    .ok_or(MessageError::Missing("the error"))?,
            )?,
        }),
        other => Err(MessageError::OutcomeKind(other.to_owned())),
    }
}

fn parse_payload(value: &Value) -> Result<Payload, MessageError> {
    let text = |name: &'static str| text_field(value, name).map(str::to_owned);
    Ok(match text_field(value, "type")? {
        "undefined" => Payload::Undefined,
        "null" => Payload::Null,
        "string" => Payload::String(text("value")?),
        "number" => Payload::Number(text("json")?),
        "boolean" => Payload::Boolean(
            value
                .get("value")
                .and_then(Value::as_bool)
                .ok_or(MessageError::Missing("the boolean value"))?,
        ),
        "json" => Payload::Json(text("text")?),
        "unserializable" => Payload::Unserializable(text("message")?),
        "twiml" => Payload::Twiml(text("xml")?),
        "error" => Payload::Error(ErrorParts {
            name: text("name")?,
            message: text("message")?,
            stack: value
                .get("stack")
                .and_then(Value::as_str)
                .map(str::to_owned),
        }),
        "response" => Payload::Response(Box::new(ResponseParts {
            status: value.get("status").cloned().unwrap_or(Value::Null),
            headers: parse_headers(value.get("headers"))?,
            body: parse_payload(
                value
                    .get("body")
                    .ok_or(MessageError::Missing("the response body"))?,
            )?,
        })),
        other => return Err(MessageError::ValueType(other.to_owned())),
    })
}

fn parse_headers(value: Option<&Value>) -> Result<Vec<(String, HeaderValue)>, MessageError> {
    let Some(Value::Array(pairs)) = value else {
        return Err(MessageError::Headers("the response headers are not a list"));
    };
    pairs
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(name), Value::String(value)]) => {
                Ok((name.clone(), HeaderValue::One(value.clone())))
            }
            Some([Value::String(name), Value::Array(values)]) => {
                let values = values
                    .iter()
                    .map(|value| value.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(MessageError::Headers(
                        "a header list holds a value that is not a string",
                    ))?;
                Ok((name.clone(), HeaderValue::Many(values)))
            }
            _ => Err(MessageError::Headers(
                "a response header is not a [name, value] pair",
            )),
        })
        .collect()
}

/// Whether a message ends the call (an outcome, a timeout or a crash), judged by its type alone.
pub fn is_terminal(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|value| value.get("type").and_then(Value::as_str).map(str::to_owned))
        .is_some_and(|kind| matches!(kind.as_str(), "outcome" | "timeout" | "crash"))
}
