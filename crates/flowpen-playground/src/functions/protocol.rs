//! Pure: the messages between the app, the sandbox frame and the Function's worker.
//!
//! Every message is JSON text (never a structured-clone object), so both sides parse it with the
//! same rules and nothing the Function does can put a live object on the app's side.
//!
//! 1. App → frame: `window.postMessage(invoke, "*", [port])` — the invocation ([`invoke_message`])
//!    with a `MessagePort` of a fresh `MessageChannel`. The frame starts one worker and hands it the
//!    same text.
//! 2. Worker → frame → app (on the port): `{"type":"log","level":…,"text":…}` for console output,
//!    then one `{"type":"outcome","outcome":…}` ([`Outcome`]). The frame terminates the worker
//!    after the outcome.
//! 3. Frame → app: `{"type":"timeout","timeout_ms":…}` when the limit passed (the worker is
//!    terminated), `{"type":"crash","message":…}` when the worker could not run.
//! 4. App → frame (on the port): [`CANCEL`] stops the worker when the app gives up waiting.
//!
//! [`conclude`] turns the received messages into the response and the log.

use serde_json::{Map, Value};

use super::request::{normalize_path, PreparedCall};
use super::{response, FunctionsProject, HttpResponse, InvokeOptions, LogLine};

/// The worker bootstrap: Twilio's globals, TwiML, axios, console capture.
pub const WORKER_JS: &str = include_str!("worker.js");

/// The sandbox frame's script: starts one worker per invocation and relays its messages.
pub const FRAME_JS: &str = include_str!("frame.js");

/// Sent by the app on the port to stop a worker it no longer waits for.
pub const CANCEL: &str = r#"{"type":"cancel"}"#;

/// The most log lines the host keeps for one call (the worker itself stops at 1000).
pub const MAX_LOG_LINES: usize = 1100;

/// The document of the sandbox iframe (its `srcdoc`): the worker source as a JSON string literal,
/// with `<` escaped so that nothing in it can end the script element, then the frame's script.
pub fn frame_srcdoc() -> String {
    let runtime = Value::String(WORKER_JS.to_owned())
        .to_string()
        .replace('<', "\\u003c");
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Flowpen Functions sandbox</title>\
         </head><body><script>const RUNTIME_SOURCE = {runtime};\n{FRAME_JS}</script></body></html>"
    )
}

/// One Function as the worker sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFile {
    /// The URL path (`/random`).
    pub path: String,
    /// The key in `Runtime.getFunctions()`: the path without its leading `/`.
    pub name: String,
    /// The module's file name (`functions/random.js`): `Runtime.getFunctions()[name].path`, what
    /// `require()` accepts, and the name in stack traces.
    pub file: String,
    /// The source.
    pub code: String,
}

/// The Functions of a project as the worker gets them: the first Function of a path wins, and
/// every file name is unique.
pub fn project_files(project: &FunctionsProject) -> Vec<ProjectFile> {
    let mut files: Vec<ProjectFile> = Vec::new();
    for function in &project.functions {
        let path = normalize_path(&function.path);
        if files.iter().any(|file| file.path == path) {
            continue;
        }
        let base = file_stem(&path);
        let mut file = format!("functions/{base}.js");
        let mut counter = 2;
        while files.iter().any(|existing| existing.file == file) {
            file = format!("functions/{base}-{counter}.js");
            counter += 1;
        }
        files.push(ProjectFile {
            name: path.trim_start_matches('/').to_owned(),
            path,
            file,
            code: function.code.clone(),
        });
    }
    files
}

/// A file name for a path: only URL-safe characters (the name ends up in a `sourceURL` comment).
fn file_stem(path: &str) -> String {
    let stem: String = path
        .trim_start_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._~/-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "index".to_owned()
    } else {
        stem
    }
}

/// The invocation message for a prepared call.
pub fn invoke_message(
    project: &FunctionsProject,
    call: &PreparedCall,
    options: &InvokeOptions,
) -> String {
    let files = project_files(project);
    let file = files
        .iter()
        .find(|file| file.path == call.path)
        .map(|file| file.file.clone())
        .unwrap_or_default();
    let functions = files
        .into_iter()
        .map(|file| {
            let mut entry = Map::new();
            entry.insert("name".to_owned(), Value::String(file.name));
            entry.insert("path".to_owned(), Value::String(file.path));
            entry.insert("file".to_owned(), Value::String(file.file));
            entry.insert("code".to_owned(), Value::String(file.code));
            Value::Object(entry)
        })
        .collect();
    let mut message = Map::new();
    message.insert("type".to_owned(), Value::String("invoke".to_owned()));
    message.insert("timeout_ms".to_owned(), Value::from(options.timeout_ms));
    message.insert("path".to_owned(), Value::String(call.path.clone()));
    message.insert("file".to_owned(), Value::String(file));
    message.insert("functions".to_owned(), Value::Array(functions));
    message.insert("event".to_owned(), Value::Object(call.event.clone()));
    message.insert("context".to_owned(), Value::Object(call.context.clone()));
    if let Some(fake) = &options.fake_fetch {
        let responses = fake
            .iter()
            .map(|answer| {
                let headers = answer
                    .headers
                    .iter()
                    .map(|(name, value)| {
                        Value::Array(vec![
                            Value::String(name.clone()),
                            Value::String(value.clone()),
                        ])
                    })
                    .collect();
                let mut entry = Map::new();
                entry.insert("url".to_owned(), Value::String(answer.url.clone()));
                entry.insert("status".to_owned(), Value::from(answer.status));
                entry.insert("headers".to_owned(), Value::Array(headers));
                entry.insert("body".to_owned(), Value::String(answer.body.clone()));
                Value::Object(entry)
            })
            .collect();
        message.insert("fake_fetch".to_owned(), Value::Array(responses));
    }
    Value::Object(message).to_string()
}

/// A message from the sandbox, parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerMessage {
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
pub enum Outcome {
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
pub enum Payload {
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
pub struct ResponseParts {
    /// `statusCode` as the Function set it (a number or a string; `null` for anything else).
    pub status: Value,
    /// Headers in order, values turned into strings.
    pub headers: Vec<(String, HeaderValue)>,
    /// The body after `serialize()` (JSON text when `Content-Type` is JSON).
    pub body: Payload,
}

/// A header value of a `Twilio.Response`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// A single value.
    One(String),
    /// A list (sent as one header line per value).
    Many(Vec<String>),
}

/// An `Error`'s name, message and stack (without the runtime's own frames).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorParts {
    /// `error.name`.
    pub name: String,
    /// `error.message`.
    pub message: String,
    /// `error.stack`, when it is a string.
    pub stack: Option<String>,
}

fn text_field<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the field {name} is missing or not a string"))
}

/// Parses one message from the sandbox.
pub fn parse_message(text: &str) -> Result<WorkerMessage, String> {
    let value: Value = serde_json::from_str(text).map_err(|error| format!("not JSON ({error})"))?;
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
            let outcome = value.get("outcome").ok_or("the outcome is missing")?;
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

fn parse_outcome(value: &Value) -> Result<Outcome, String> {
    match text_field(value, "kind")? {
        "callback" => match value.get("error") {
            Some(error) => parse_payload(error).map(Outcome::Failure),
            None => parse_payload(value.get("payload").ok_or("the payload is missing")?)
                .map(Outcome::Success),
        },
        "threw" => Ok(Outcome::Threw {
            during: text_field(value, "during")?.to_owned(),
            error: parse_payload(value.get("error").ok_or("the error is missing")?)?,
        }),
        other => Err(format!("unknown outcome kind {other}")),
    }
}

fn parse_payload(value: &Value) -> Result<Payload, String> {
    let text = |name: &str| text_field(value, name).map(str::to_owned);
    Ok(match text_field(value, "type")? {
        "undefined" => Payload::Undefined,
        "null" => Payload::Null,
        "string" => Payload::String(text("value")?),
        "number" => Payload::Number(text("json")?),
        "boolean" => Payload::Boolean(
            value
                .get("value")
                .and_then(Value::as_bool)
                .ok_or("the boolean value is missing")?,
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
            body: parse_payload(value.get("body").ok_or("the response body is missing")?)?,
        })),
        other => return Err(format!("unknown value type {other}")),
    })
}

fn parse_headers(value: Option<&Value>) -> Result<Vec<(String, HeaderValue)>, String> {
    let Some(Value::Array(pairs)) = value else {
        return Err("the response headers are not a list".to_owned());
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
                    .ok_or("a header list holds a value that is not a string")?;
                Ok((name.clone(), HeaderValue::Many(values)))
            }
            _ => Err("a response header is not a [name, value] pair".to_owned()),
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

/// A one-line summary of a thrown value, for the log.
fn summary(payload: &Payload) -> String {
    match payload {
        Payload::Error(error) => format!("{}: {}", error.name, error.message),
        Payload::String(text) => text.clone(),
        Payload::Number(text) | Payload::Json(text) => text.clone(),
        Payload::Boolean(flag) => flag.to_string(),
        Payload::Undefined => "undefined".to_owned(),
        Payload::Null => "null".to_owned(),
        Payload::Unserializable(_) | Payload::Twiml(_) | Payload::Response(_) => {
            "a value that cannot be shown".to_owned()
        }
    }
}

/// The host's note in the log for a call that ended by an exception.
fn note(outcome: &Outcome) -> Option<LogLine> {
    let Outcome::Threw { during, error } = outcome else {
        return None;
    };
    let what = summary(error);
    let text = match during.as_str() {
        "load" => format!("the Function's code failed to load: {what}"),
        "uncaught" => format!("an uncaught error ended the Function: {what}"),
        _ => format!("the handler threw {what}"),
    };
    Some(LogLine::new("error", text))
}

/// The response and the log from the messages a call received, in order. Messages after the
/// first terminal one are ignored; without one (the app stopped waiting), the call is a 504.
pub fn conclude(
    messages: &[String],
    method: &str,
    timeout_ms: u32,
) -> (HttpResponse, Vec<LogLine>) {
    fn push(logs: &mut Vec<LogLine>, line: LogLine) {
        if logs.len() < MAX_LOG_LINES {
            logs.push(line);
        }
    }
    let mut logs: Vec<LogLine> = Vec::new();
    for text in messages {
        match parse_message(text) {
            Ok(WorkerMessage::Log(line)) => push(&mut logs, line),
            Ok(WorkerMessage::Outcome(outcome)) => {
                if let Some(line) = note(&outcome) {
                    logs.push(line);
                }
                return (response::from_outcome(&outcome, method), logs);
            }
            Ok(WorkerMessage::Timeout) => {
                logs.push(LogLine::new(
                    "error",
                    format!(
                        "the Function did not call callback within {timeout_ms} ms; its worker \
                         was stopped"
                    ),
                ));
                return (response::timeout(timeout_ms), logs);
            }
            Ok(WorkerMessage::Crash(message)) => {
                logs.push(LogLine::new("error", message.clone()));
                return (response::host_error(500, &message), logs);
            }
            Ok(WorkerMessage::Other) => {}
            Err(problem) if is_terminal(text) => {
                let message =
                    format!("the Function's worker sent an unreadable outcome: {problem}");
                logs.push(LogLine::new("error", message.clone()));
                return (response::host_error(500, &message), logs);
            }
            Err(problem) => push(
                &mut logs,
                LogLine::new(
                    "warn",
                    format!("ignored an unreadable message from the sandbox: {problem}"),
                ),
            ),
        }
    }
    let message = "the Functions sandbox stopped answering before the Function finished";
    logs.push(LogLine::new("error", message));
    (
        response::host_error(504, &format!("504 Gateway Time-out: {message}")),
        logs,
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{
        conclude, frame_srcdoc, invoke_message, is_terminal, parse_message, project_files,
        ErrorParts, HeaderValue, Outcome, Payload, WorkerMessage, FRAME_JS,
    };
    use crate::functions::request::{route, Routed};
    use crate::functions::{
        FakeFetchResponse, FunctionDef, FunctionsProject, HttpRequest, InvokeOptions, LogLine,
    };

    fn def(path: &str, code: &str) -> FunctionDef {
        FunctionDef {
            path: path.to_owned(),
            code: code.to_owned(),
        }
    }

    #[test]
    fn the_frame_script_can_be_inlined_in_html() {
        let lower = FRAME_JS.to_ascii_lowercase();
        assert!(!lower.contains('<'), "frame.js must not contain '<'");
        let doc = frame_srcdoc();
        assert_eq!(doc.to_ascii_lowercase().matches("</script").count(), 1);
        assert!(!doc.contains("<!--"));
        assert!(doc.contains("const RUNTIME_SOURCE = \""));
        assert!(
            doc.contains("exports.handler"),
            "the worker source is embedded"
        );
    }

    #[test]
    fn files_are_unique_and_first_path_wins() {
        let project = FunctionsProject {
            functions: vec![
                def("/a b", "1"),
                def("a_b", "2"),
                def("/a b", "3"),
                def("/", "4"),
                def("/x\n//", "5"),
            ],
            env: Vec::new(),
        };
        let files: Vec<(String, String, String)> = project_files(&project)
            .into_iter()
            .map(|file| (file.path, file.file, file.code))
            .collect();
        assert_eq!(
            files,
            [
                (
                    "/a b".to_owned(),
                    "functions/a_b.js".to_owned(),
                    "1".to_owned()
                ),
                (
                    "/a_b".to_owned(),
                    "functions/a_b-2.js".to_owned(),
                    "2".to_owned()
                ),
                (
                    "/".to_owned(),
                    "functions/index.js".to_owned(),
                    "4".to_owned()
                ),
                (
                    "/x\n//".to_owned(),
                    "functions/x_//.js".to_owned(),
                    "5".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn the_invoke_message_carries_everything_the_worker_needs() {
        let project = FunctionsProject {
            functions: vec![def("/random", "exports.handler = 1;"), def("/util", "u")],
            env: vec![("KEY".to_owned(), "v".to_owned())],
        };
        let request = HttpRequest::form_post(
            "https://flowpen.local/random",
            &[("min".to_owned(), "1".to_owned())],
        );
        let Routed::Run(call) = route(&project, &request) else {
            panic!("/random is a Function");
        };
        let options = InvokeOptions {
            timeout_ms: 300,
            fake_fetch: Some(vec![FakeFetchResponse {
                url: "https://dog.ceo/api".to_owned(),
                status: 404,
                headers: vec![("content-type".to_owned(), "application/json".to_owned())],
                body: "{}".to_owned(),
            }]),
        };
        let message: Value =
            serde_json::from_str(&invoke_message(&project, &call, &options)).expect("JSON");
        assert_eq!(
            message,
            json!({
                "type": "invoke",
                "timeout_ms": 300,
                "path": "/random",
                "file": "functions/random.js",
                "functions": [
                    {"name": "random", "path": "/random", "file": "functions/random.js",
                     "code": "exports.handler = 1;"},
                    {"name": "util", "path": "/util", "file": "functions/util.js", "code": "u"}
                ],
                "event": {
                    "request": {
                        "headers": {"content-type": "application/x-www-form-urlencoded"},
                        "cookies": {}
                    },
                    "min": "1"
                },
                "context": {"PATH": "/random", "DOMAIN_NAME": "flowpen.local", "KEY": "v"},
                "fake_fetch": [{"url": "https://dog.ceo/api", "status": 404,
                                "headers": [["content-type", "application/json"]], "body": "{}"}]
            })
        );
        let plain = invoke_message(&project, &call, &InvokeOptions::default());
        assert!(!plain.contains("fake_fetch"));
        assert!(plain.contains("\"timeout_ms\":10000"));
    }

    #[test]
    fn worker_messages_parse() {
        assert_eq!(
            parse_message(r#"{"type":"log","level":"warn","text":"careful"}"#),
            Ok(WorkerMessage::Log(LogLine::new("warn", "careful")))
        );
        assert_eq!(
            parse_message(r#"{"type":"log","level":"debug","text":"x"}"#),
            Ok(WorkerMessage::Log(LogLine::new("log", "x")))
        );
        assert_eq!(
            parse_message(
                r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"string","value":"hi"}}}"#
            ),
            Ok(WorkerMessage::Outcome(Outcome::Success(Payload::String(
                "hi".to_owned()
            ))))
        );
        assert_eq!(
            parse_message(
                r#"{"type":"outcome","outcome":{"kind":"callback","error":{"type":"error","name":"Error","message":"m","stack":null}}}"#
            ),
            Ok(WorkerMessage::Outcome(Outcome::Failure(Payload::Error(
                ErrorParts {
                    name: "Error".to_owned(),
                    message: "m".to_owned(),
                    stack: None
                }
            ))))
        );
        let response = parse_message(
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"response","status":201,
                "headers":[["A","1"],["Set-Cookie",["x=1","y=2"]]],"body":{"type":"json","text":"{}"}}}}"#,
        );
        let Ok(WorkerMessage::Outcome(Outcome::Success(Payload::Response(parts)))) = response
        else {
            panic!("a Twilio.Response outcome: {response:?}");
        };
        assert_eq!(parts.status, json!(201));
        assert_eq!(
            parts.headers,
            vec![
                ("A".to_owned(), HeaderValue::One("1".to_owned())),
                (
                    "Set-Cookie".to_owned(),
                    HeaderValue::Many(vec!["x=1".to_owned(), "y=2".to_owned()])
                ),
            ]
        );
        assert_eq!(
            parse_message(r#"{"type":"timeout","timeout_ms":5}"#),
            Ok(WorkerMessage::Timeout)
        );
        assert_eq!(
            parse_message(r#"{"type":"crash","message":"no worker"}"#),
            Ok(WorkerMessage::Crash("no worker".to_owned()))
        );
        assert_eq!(
            parse_message(r#"{"type":"later-feature"}"#),
            Ok(WorkerMessage::Other)
        );
    }

    #[test]
    fn odd_messages_are_errors_not_panics() {
        for text in [
            "",
            "nonsense",
            "[]",
            "{}",
            r#"{"type":7}"#,
            r#"{"type":"log"}"#,
            r#"{"type":"outcome"}"#,
            r#"{"type":"outcome","outcome":{"kind":"callback"}}"#,
            r#"{"type":"outcome","outcome":{"kind":"mystery"}}"#,
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"boolean"}}}"#,
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"response","headers":{},"body":{"type":"null"}}}}"#,
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"response","headers":[[1,2]],"body":{"type":"null"}}}}"#,
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"response","headers":[["a",[1]]],"body":{"type":"null"}}}}"#,
            r#"{"type":"outcome","outcome":{"kind":"threw","during":"handler","error":{"type":"alien"}}}"#,
        ] {
            assert!(parse_message(text).is_err(), "{text}");
        }
    }

    #[test]
    fn terminal_messages_are_recognised_by_type() {
        assert!(is_terminal(r#"{"type":"outcome","outcome":"garbage"}"#));
        assert!(is_terminal(r#"{"type":"timeout"}"#));
        assert!(is_terminal(r#"{"type":"crash","message":"x"}"#));
        assert!(!is_terminal(r#"{"type":"log","level":"log","text":"x"}"#));
        assert!(!is_terminal("not json"));
    }

    #[test]
    fn conclude_collects_logs_until_the_outcome() {
        let messages = [
            r#"{"type":"log","level":"log","text":"one"}"#.to_owned(),
            "garbage".to_owned(),
            r#"{"type":"log","level":"error","text":"two"}"#.to_owned(),
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"json","text":"{\"number\":3}"}}}"#
                .to_owned(),
            r#"{"type":"log","level":"log","text":"after the callback"}"#.to_owned(),
        ];
        let (response, logs) = conclude(&messages, "POST", 10_000);
        assert_eq!(
            (response.status, response.body.as_str()),
            (200, "{\"number\":3}")
        );
        assert_eq!(logs.len(), 3);
        assert_eq!(logs[0], LogLine::new("log", "one"));
        assert_eq!(logs[1].level, "warn");
        assert_eq!(logs[2], LogLine::new("error", "two"));
    }

    #[test]
    fn conclude_explains_throws_timeouts_crashes_and_silence() {
        let threw = [r#"{"type":"outcome","outcome":{"kind":"threw","during":"load","error":{"type":"error","name":"SyntaxError","message":"Unexpected token","stack":"SyntaxError: Unexpected token"}}}"#.to_owned()];
        let (response, logs) = conclude(&threw, "GET", 10_000);
        assert_eq!(response.status, 500);
        assert_eq!(
            logs,
            [LogLine::new(
                "error",
                "the Function's code failed to load: SyntaxError: Unexpected token"
            )]
        );

        let (response, logs) = conclude(
            &[r#"{"type":"timeout","timeout_ms":250}"#.to_owned()],
            "GET",
            250,
        );
        assert_eq!(response.status, 504);
        assert!(response.body.contains("250 ms"), "{}", response.body);
        assert_eq!(logs.len(), 1);

        let (response, logs) = conclude(
            &[r#"{"type":"crash","message":"no worker"}"#.to_owned()],
            "GET",
            1,
        );
        assert_eq!((response.status, logs[0].text.as_str()), (500, "no worker"));

        let (response, _) = conclude(&[r#"{"type":"outcome","outcome":{}}"#.to_owned()], "GET", 1);
        assert_eq!(response.status, 500);

        let (response, logs) = conclude(&[], "GET", 1);
        assert_eq!(response.status, 504);
        assert_eq!(logs.len(), 1);
    }

    #[test]
    fn log_flooding_is_capped() {
        let line = r#"{"type":"log","level":"log","text":"x"}"#.to_owned();
        let messages = vec![line; super::MAX_LOG_LINES + 50];
        let (_, logs) = conclude(&messages, "GET", 1);
        assert_eq!(logs.len(), super::MAX_LOG_LINES + 1);
    }
}
