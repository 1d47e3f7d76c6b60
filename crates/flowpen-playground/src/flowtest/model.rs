//! A test file as data: the cases, their scripts, stubs and expectations. [`super::read`] builds
//! it from YAML, [`super::write`] writes it back, [`super::run`] runs it.

use flowpen_engine::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use serde_json::Value;

use super::matcher::TextMatch;

/// Where something is in the test file: line and column from 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

/// A test file: what the cases run against, and the cases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestFile {
    /// `flow:`, the Studio flow or project file the cases run, relative to the test file (or
    /// `shared:PATH`, see the README). In the browser the project's flow runs instead.
    pub flow: Option<String>,
    /// `functions:`, Function path → JavaScript file (for a plain Studio flow).
    pub functions: Vec<(String, String)>,
    /// `env:`, the Functions' environment variables (for a plain Studio flow).
    pub env: Vec<(String, String)>,
    /// `subflows:`, Run Subflow's `flow_sid` (or the widget's name) → flow file.
    pub subflows: Vec<(String, String)>,
    /// `stubs:` shared by every case (a case's own stubs win for the same URL).
    pub stubs: Stubs,
    pub cases: Vec<Case>,
}

/// How a case's execution starts (the Trigger's events).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Start {
    /// `incomingMessage`: the first conversation step is the contact's message.
    #[default]
    Message,
    /// `incomingCall`.
    Call,
    /// `incomingRequest`: `parameters` become `flow.data`.
    Rest,
    /// `incomingConversationMessage`: the first conversation step is the contact's message.
    Conversation,
    /// `incomingParent`: `parameters` become `trigger.parent.parameters`.
    Subflow,
}

impl Start {
    pub const ALL: [(&'static str, Start); 5] = [
        ("message", Start::Message),
        ("call", Start::Call),
        ("rest", Start::Rest),
        ("conversation", Start::Conversation),
        ("subflow", Start::Subflow),
    ];

    pub fn name(self) -> &'static str {
        Start::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("message", |(n, _)| n)
    }

    /// Whether the contact's first message starts the execution.
    pub fn by_message(self) -> bool {
        matches!(self, Start::Message | Start::Conversation)
    }
}

/// One case: a conversation with the flow and what must hold at its end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Case {
    pub name: String,
    /// Where the case starts in the file.
    pub at: Place,
    pub start: Start,
    /// The contact's address (for `rest`: the flow's, as Twilio's API names them).
    pub from: Option<String>,
    /// The flow's address (for `rest`: the contact's).
    pub to: Option<String>,
    /// `rest`: `flow.data`; `subflow`: `trigger.parent.parameters`; `call`: more webhook
    /// parameters (`trigger.call.*`). A JSON object.
    pub parameters: Option<Value>,
    /// When the execution starts (Unix milliseconds); [`super::DEFAULT_TIME_MS`] otherwise.
    pub time_ms: Option<u64>,
    pub stubs: Stubs,
    pub conversation: Vec<Step>,
    pub expect: Expect,
}

/// One step of a conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub at: Place,
    pub action: Action,
}

/// What happens at a step: the flow sends something, or the contact (caller, outside world,
/// clock) does something.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The flow sends (or says) something that must match.
    Flow(FlowExpect),
    /// The contact writes (a reply to Send & Wait For Reply, or the message that starts the
    /// execution).
    Contact { text: String, media: Vec<String> },
    /// The waiting widget's time runs out now.
    Timeout,
    /// Time passes (milliseconds): deadlines that fall within it fire.
    Wait { ms: u64 },
    /// The caller presses keys.
    Press { keys: String },
    /// The caller speaks.
    Speech { text: String, confidence: f64 },
    /// The caller leaves a voicemail (the text stands in for the audio).
    Record {
        text: String,
        duration_s: Option<u64>,
        end: RecordEnd,
    },
    /// The caller hangs up.
    Hangup,
    /// The outside world answers a waiting widget with one of its events.
    Event {
        name: String,
        variables: Vec<(String, Value)>,
    },
}

impl Action {
    /// The step's key in the file (`contact`, `flow`, `press`…).
    pub fn keyword(&self) -> &'static str {
        match self {
            Action::Flow(_) => "flow",
            Action::Contact { .. } => "contact",
            Action::Timeout => "timeout",
            Action::Wait { .. } => "wait",
            Action::Press { .. } => "press",
            Action::Speech { .. } => "speech",
            Action::Record { .. } => "record",
            Action::Hangup => "hangup",
            Action::Event { .. } => "event",
        }
    }
}

/// How a recording ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RecordEnd {
    #[default]
    Silence,
    Key(char),
    MaxLength,
    Hangup,
}

/// What the flow must send at a `flow:` step.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowExpect {
    pub what: Expected,
    /// The message's media URL must match.
    pub media: Option<TextMatch>,
    /// The widget that sends it.
    pub widget: Option<String>,
    /// The message fails to send (Send Message: `failed`; Send & Wait For Reply:
    /// `deliveryFailure`), as the simulator's "next message fails".
    pub fail: bool,
}

/// The kind of output and its text.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// A message (Send Message, Send & Wait For Reply).
    Message(TextMatch),
    /// Speech on the call (Say/Play, a Gather's prompt).
    Say(TextMatch),
    /// Audio played on the call (its URL).
    Play(TextMatch),
    /// Tones sent on the call.
    Digits(TextMatch),
}

impl Expected {
    pub fn text(&self) -> &TextMatch {
        match self {
            Expected::Message(t) | Expected::Say(t) | Expected::Play(t) | Expected::Digits(t) => t,
        }
    }
}

/// Stubbed responses by URL, in the file's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stubs {
    pub entries: Vec<Stub>,
}

/// The responses for one URL: one per call, the last one repeats.
#[derive(Clone, Debug, PartialEq)]
pub struct Stub {
    pub url: String,
    pub at: Place,
    pub responses: Vec<StubResponse>,
}

impl Stubs {
    /// The stub for `url`: the exact URL, else the URL without its query string.
    pub fn find(&self, url: &str) -> Option<&Stub> {
        self.entries.iter().find(|s| s.url == url).or_else(|| {
            let bare = url.split(['?', '#']).next().unwrap_or(url);
            (bare != url)
                .then(|| self.entries.iter().find(|s| s.url == bare))
                .flatten()
        })
    }

    /// These stubs over `defaults` (for the same URL, these win).
    pub fn over(&self, defaults: &Stubs) -> Stubs {
        let mut entries = self.entries.clone();
        for d in &defaults.entries {
            if !entries.iter().any(|e| e.url == d.url) {
                entries.push(d.clone());
            }
        }
        Stubs { entries }
    }
}

/// One stubbed answer.
#[derive(Clone, Debug, PartialEq)]
pub struct StubResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How long the answer takes; at or past the request's limit (10 s) the request times out.
    pub delay_ms: u64,
    /// No response: the network failed with this message.
    pub error: Option<String>,
}

impl StubResponse {
    /// Whether the request gives up before this answer comes (a delay at or past its limit).
    pub fn times_out(&self, request: &HttpRequest) -> bool {
        self.delay_ms >= request.timeout_ms
    }

    /// What the engine gets once the delay has passed: the response, or the network error.
    pub fn result(&self) -> Result<HttpResponse, TransportError> {
        match &self.error {
            Some(message) => Err(TransportError {
                kind: TransportErrorKind::Network,
                message: message.clone(),
            }),
            None => Ok(HttpResponse {
                status: self.status,
                headers: self.headers.clone(),
                body: self.body.clone(),
            }),
        }
    }
}

impl Default for StubResponse {
    fn default() -> StubResponse {
        StubResponse {
            status: 200,
            headers: Vec::new(),
            body: String::new(),
            delay_ms: 0,
            error: None,
        }
    }
}

/// What must hold when the conversation is over.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expect {
    pub at: Place,
    pub status: ExpectStatus,
    /// Matches the end's explanation (`limit reached: "x" already ran 10 times…`).
    pub reason: Option<TextMatch>,
    /// The main flow's widgets in order (see the README for what counts).
    pub path: Option<(Place, Vec<String>)>,
    /// Dotted paths into the main flow's Flow Data.
    pub flow_data: Vec<DataExpect>,
}

/// How the execution must stand at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExpectStatus {
    /// Ended normally: a transition without a next widget, or the caller hanging up.
    #[default]
    Ended,
    /// Still waits (for a reply, keys, the outside world…).
    Waiting,
    /// Ended with this kind of end (as `EndReason::to_json` names it).
    Kind(EndKind),
}

/// The kinds of end a test can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndKind {
    NoNext,
    CallEnded,
    MissingWidget,
    RunLimit,
    StepLimit,
    /// `run-limit` or `step-limit`.
    Limit,
    Unsupported,
    Error,
    NoCall,
}

impl EndKind {
    pub const ALL: [(&'static str, EndKind); 9] = [
        ("no-next", EndKind::NoNext),
        ("call-ended", EndKind::CallEnded),
        ("missing-widget", EndKind::MissingWidget),
        ("run-limit", EndKind::RunLimit),
        ("step-limit", EndKind::StepLimit),
        ("limit", EndKind::Limit),
        ("unsupported", EndKind::Unsupported),
        ("error", EndKind::Error),
        ("no-call", EndKind::NoCall),
    ];

    pub fn name(self) -> &'static str {
        EndKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("error", |(n, _)| n)
    }
}

impl ExpectStatus {
    pub fn name(self) -> &'static str {
        match self {
            ExpectStatus::Ended => "ended",
            ExpectStatus::Waiting => "waiting",
            ExpectStatus::Kind(k) => k.name(),
        }
    }
}

/// One `flow_data` expectation.
#[derive(Clone, Debug, PartialEq)]
pub struct DataExpect {
    pub at: Place,
    /// `flow.variables.count`.
    pub path: String,
    pub value: ValueMatch,
}

/// An expected Flow Data value.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueMatch {
    /// Absent or null.
    Null,
    /// A scalar, compared as text (and as a number when both read as numbers).
    Scalar(String),
    /// Every listed key matches (others may exist).
    Map(Vec<(String, ValueMatch)>),
    /// Exactly these items.
    List(Vec<ValueMatch>),
    /// The value's text matches (`{glob: …}` or `{regex: …}`).
    Text(TextMatch),
}
