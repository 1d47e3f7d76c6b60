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

use flowpen_engine::HttpResponse;

use super::message::{is_terminal, parse_message, Outcome, Payload, WorkerMessage};
use super::request::PreparedCall;
use super::{response, InvokeOptions, LogLine};
use crate::project::functions::{normalize_path, FunctionsProject};

/// Sent by the app on the port to stop a worker it no longer waits for.
pub const CANCEL: &str = r#"{"type":"cancel"}"#;

/// The most log lines the host keeps for one call (the worker itself stops at 1000).
pub const MAX_LOG_LINES: usize = 1100;

/// The longest log message a host accepts, in characters (the sandbox frame, `frame.js`, enforces
/// the same number before forwarding; the worker's own cap is 10,000 characters of text).
pub const MAX_LOG_MESSAGE_CHARS: usize = 64 * 1024;

/// The most characters of log messages a host accepts for one call.
pub const MAX_CALL_LOG_CHARS: usize = 2 * 1024 * 1024;

/// The longest outcome message a host accepts, in characters. Studio reads at most 64 kB of a
/// response, so a larger body still reaches the engine (which fails the widget); this only stops
/// a Function that floods the app.
pub const MAX_OUTCOME_CHARS: usize = 1024 * 1024;

/// What a host keeps of the messages of one call, within the limits above: every message up to
/// the first terminal one, log messages while they fit (one note says what was dropped), and an
/// outcome that fits (a larger one becomes a crash that says why). The sandbox frame enforces
/// the same limits first; this is the host's own guard, checked on a message's size alone before
/// it is read.
#[derive(Debug, Default)]
pub struct Intake {
    messages: Vec<String>,
    log_chars: usize,
    dropped: usize,
    done: bool,
}

impl Intake {
    /// A call with nothing received yet.
    pub fn new() -> Intake {
        Intake::default()
    }

    /// Whether a message of `chars` characters (UTF-16 units, or bytes) can be kept at all; a host
    /// checks this before copying the message out of the browser.
    pub fn fits(&self, chars: usize) -> bool {
        !self.done && chars <= MAX_OUTCOME_CHARS
    }

    /// Takes a message that did not fit: the call ends as a crash that says how large it was.
    pub fn too_large(&mut self, chars: usize) {
        if self.done {
            return;
        }
        let message = format!(
            "the Function sent a message of {chars} characters; the playground accepts at most {MAX_OUTCOME_CHARS} (Studio reads at most 64 kB of a response)"
        );
        let crash = serde_json::json!({ "type": "crash", "message": message });
        self.messages.push(crash.to_string());
        self.done = true;
    }

    /// Takes one message; returns whether the call is over (a terminal message arrived).
    pub fn push(&mut self, text: String) -> bool {
        if self.done {
            return true;
        }
        if !self.fits(text.len()) {
            self.too_large(text.len());
            return true;
        }
        if is_terminal(&text) {
            self.messages.push(text);
            self.done = true;
            return true;
        }
        let fits = text.len() <= MAX_LOG_MESSAGE_CHARS
            && self.log_chars + text.len() <= MAX_CALL_LOG_CHARS
            && self.messages.len() < MAX_LOG_LINES + 10;
        if fits {
            self.log_chars += text.len();
            self.messages.push(text);
        } else {
            self.dropped += 1;
        }
        false
    }

    /// The messages kept, with a note about dropped ones before the terminal message.
    pub fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            let text = format!(
                "{} message{} from the sandbox were dropped: at most {MAX_LOG_MESSAGE_CHARS} characters a message, {MAX_CALL_LOG_CHARS} a call",
                self.dropped,
                if self.dropped == 1 { "" } else { "s" }
            );
            let note = serde_json::json!({ "type": "log", "level": "warn", "text": text });
            let at = if self.done {
                self.messages.len() - 1
            } else {
                self.messages.len()
            };
            self.messages.insert(at, note.to_string());
        }
        self.messages
    }
}

/// One Function as the worker sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProjectFile {
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
pub(crate) fn project_files(project: &FunctionsProject) -> Vec<ProjectFile> {
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

    use super::{conclude, invoke_message, project_files};
    use crate::functions::message::{
        is_terminal, parse_message, ErrorParts, HeaderValue, Outcome, Payload, WorkerMessage,
    };
    use crate::functions::request::{route, Routed};
    use crate::functions::{FakeFetchResponse, InvokeOptions, LogLine};
    use crate::project::{FunctionDef, FunctionsProject};
    use crate::testing::form_post;

    fn def(path: &str, code: &str) -> FunctionDef {
        FunctionDef {
            path: path.to_owned(),
            code: code.to_owned(),
        }
    }

    #[test]
    fn the_intake_keeps_calls_within_their_limits() {
        use super::{Intake, MAX_CALL_LOG_CHARS, MAX_LOG_MESSAGE_CHARS, MAX_OUTCOME_CHARS};
        let log = |text: &str| json!({"type": "log", "level": "log", "text": text}).to_string();
        let outcome =
            r#"{"type":"outcome","outcome":{"kind":"callback","payload":{"type":"null"}}}"#;

        // Within the limits: everything, in order.
        let mut intake = Intake::new();
        assert!(!intake.push(log("a")));
        assert!(intake.push(outcome.to_owned()));
        assert!(
            intake.push(log("after the end")),
            "nothing counts after the outcome"
        );
        assert_eq!(intake.finish(), vec![log("a"), outcome.to_owned()]);

        // A huge log message and a flood: dropped, with one note before the outcome.
        let mut intake = Intake::new();
        assert!(!intake.push(log(&"x".repeat(MAX_LOG_MESSAGE_CHARS))));
        let line = log(&"y".repeat(MAX_LOG_MESSAGE_CHARS / 2));
        let fitting = MAX_CALL_LOG_CHARS / line.len();
        for _ in 0..fitting + 5 {
            intake.push(line.clone());
        }
        intake.push(outcome.to_owned());
        let kept = intake.finish();
        let chars: usize = kept.iter().map(String::len).sum();
        assert!(chars <= MAX_CALL_LOG_CHARS + 1000, "{chars}");
        let (_, logs) = conclude(&kept, "POST", 10_000);
        let note = &logs[logs.len() - 1];
        assert_eq!(note.level, "warn");
        assert!(note.text.contains("were dropped"), "{}", note.text);
        assert_eq!(logs.len(), fitting.min(super::MAX_LOG_LINES + 10) + 1);

        // A message too large to read ends the call as an explained crash (a 500).
        let mut intake = Intake::new();
        assert!(!intake.fits(MAX_OUTCOME_CHARS + 1));
        intake.too_large(300_000_000);
        let (response, logs) = conclude(&intake.finish(), "POST", 10_000);
        assert_eq!(response.status, 500);
        assert!(
            logs[0].text.contains("300000000 characters"),
            "{}",
            logs[0].text
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
        let request = form_post(
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
