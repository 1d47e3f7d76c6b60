//! What goes into the engine (triggers, messages, HTTP responses) and what comes out of it
//! (effects). All plain data: the shell carries effects out and reports back with inputs.

use std::fmt;

use serde_json::{json, Map, Value};

use crate::call::{
    Audio, ExternalRequest, GatherRequest, InboundCall, RecordRequest, SubflowStart, WaitId,
};

/// Identifies an outbound message, so the shell can report its delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub u32);

/// Identifies an HTTP request, so the shell can hand back its response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u32);

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// How an execution starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// An inbound message (the Trigger's `incomingMessage`): `trigger.message.*`.
    Message(InboundMessage),
    /// A REST API request (`incomingRequest`): `Parameters` become `flow.data`; `To` is the contact
    /// and `From` the flow's address.
    Rest {
        from: String,
        to: String,
        parameters: Value,
    },
    /// An incoming call (`incomingCall`): `trigger.call.*`; the execution is on the call.
    Call(InboundCall),
    /// A Conversations message (`incomingConversationMessage`): `trigger.conversation.*`.
    Conversation(InboundMessage),
    /// Started by a parent flow's Run Subflow widget (`incomingParent`):
    /// `trigger.parent.parameters.*`.
    Subflow(SubflowStart),
}

/// The kinds of start, without their data (a mid-flow start takes its data from Flow Data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TriggerKind {
    Message,
    Rest,
    Call,
    Conversation,
    Subflow,
}

impl TriggerKind {
    pub const ALL: [TriggerKind; 5] = [
        TriggerKind::Message,
        TriggerKind::Rest,
        TriggerKind::Call,
        TriggerKind::Conversation,
        TriggerKind::Subflow,
    ];

    /// The Trigger widget's event for this kind of start.
    pub fn event(self) -> &'static str {
        match self {
            TriggerKind::Message => "incomingMessage",
            TriggerKind::Rest => "incomingRequest",
            TriggerKind::Call => "incomingCall",
            TriggerKind::Conversation => "incomingConversationMessage",
            TriggerKind::Subflow => "incomingParent",
        }
    }

    /// The kind whose Trigger event is `event`.
    pub fn from_event(event: &str) -> Option<TriggerKind> {
        TriggerKind::ALL.into_iter().find(|k| k.event() == event)
    }

    /// The trigger a mid-flow start stands for, read from its Flow Data: the addresses from
    /// `contact.channel.address` and `flow.channel.address`, a message's body from
    /// `trigger.message.Body` (`trigger.conversation.Body`), REST parameters from `flow.data`, a
    /// subflow's from `trigger.parent.parameters` (and the rest of `trigger` as the parent's).
    pub fn trigger_from(self, flow_data: &Value) -> Trigger {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let contact = text(&flow_data["contact"]["channel"]["address"]);
        let flow_address = text(&flow_data["flow"]["channel"]["address"]);
        let message = |body: &Value| InboundMessage {
            from: contact.clone(),
            to: flow_address.clone(),
            body: text(body),
            media_urls: Vec::new(),
        };
        match self {
            TriggerKind::Message => {
                Trigger::Message(message(&flow_data["trigger"]["message"]["Body"]))
            }
            TriggerKind::Rest => Trigger::Rest {
                from: flow_address,
                to: contact,
                parameters: match &flow_data["flow"]["data"] {
                    v @ Value::Object(_) => v.clone(),
                    _ => json!({}),
                },
            },
            TriggerKind::Call => Trigger::Call(InboundCall {
                from: contact,
                to: flow_address,
                parameters: Vec::new(),
            }),
            TriggerKind::Conversation => {
                Trigger::Conversation(message(&flow_data["trigger"]["conversation"]["Body"]))
            }
            TriggerKind::Subflow => {
                let mut parent = match &flow_data["trigger"] {
                    Value::Object(o) => o.clone(),
                    _ => Map::new(),
                };
                let parameters = match parent.remove("parent") {
                    Some(Value::Object(mut p)) => p.remove("parameters").unwrap_or(json!({})),
                    _ => json!({}),
                };
                Trigger::Subflow(SubflowStart {
                    contact,
                    flow_address,
                    parameters,
                    parent_trigger: Value::Object(parent),
                })
            }
        }
    }
}

impl Trigger {
    /// The kind of start.
    pub fn kind(&self) -> TriggerKind {
        match self {
            Trigger::Message(_) => TriggerKind::Message,
            Trigger::Rest { .. } => TriggerKind::Rest,
            Trigger::Call(_) => TriggerKind::Call,
            Trigger::Conversation(_) => TriggerKind::Conversation,
            Trigger::Subflow(_) => TriggerKind::Subflow,
        }
    }

    /// The Trigger widget's event for this kind of start.
    pub fn event(&self) -> &'static str {
        self.kind().event()
    }

    /// The contact's and the flow's addresses (`contact.channel.address`,
    /// `flow.channel.address`).
    pub fn addresses(&self) -> (String, String) {
        match self {
            Trigger::Message(m) | Trigger::Conversation(m) => (m.from.clone(), m.to.clone()),
            Trigger::Rest { from, to, .. } => (to.clone(), from.clone()),
            Trigger::Call(c) => (c.from.clone(), c.to.clone()),
            Trigger::Subflow(s) => (s.contact.clone(), s.flow_address.clone()),
        }
    }

    /// How the execution started, in a few words (`incoming call from +1555…`).
    pub fn describe(&self) -> String {
        match self {
            Trigger::Message(m) => format!("incoming message from {}: \"{}\"", m.from, m.body),
            Trigger::Rest { from, to, .. } => format!("REST API request (From {from}, To {to})"),
            Trigger::Call(c) => format!("incoming call from {}", c.from),
            Trigger::Conversation(m) => {
                format!(
                    "incoming conversation message from {}: \"{}\"",
                    m.from, m.body
                )
            }
            Trigger::Subflow(s) => format!(
                "started as a subflow with parameters {}",
                if s.parameters.is_object() {
                    s.parameters.to_string()
                } else {
                    "{}".to_owned()
                }
            ),
        }
    }
}

/// A message from the contact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboundMessage {
    /// The contact's address (`From`).
    pub from: String,
    /// The flow's address (`To`).
    pub to: String,
    pub body: String,
    pub media_urls: Vec<String>,
}

/// A message the flow sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundMessage {
    pub id: MessageId,
    /// The widget that sent it.
    pub widget: String,
    pub to: String,
    pub from: String,
    pub body: String,
    pub media_url: Option<String>,
    /// The message's SID in Flow Data (`SM…`).
    pub sid: String,
}

/// An HTTP request for the shell to perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub id: RequestId,
    /// The widget that makes it.
    pub widget: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Give up (and report [`TransportErrorKind::Timeout`]) after this long.
    pub timeout_ms: u64,
    /// Bodies longer than this fail the widget; the shell may stop reading after one byte more.
    pub max_response_bytes: usize,
}

/// An HTTP response handed back to the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (case-insensitive), in the order they came (`Set-Cookie`).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}

/// Why a request produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    pub kind: TransportErrorKind,
    /// What happened, for the log (the browser shell explains CORS blocks here).
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No response within the request's `timeout_ms`.
    Timeout,
    /// The body was larger than `max_response_bytes`.
    TooLarge,
    /// The network failed, or the browser blocked the response (CORS).
    Network,
}

/// What the shell must do next; drained with `Engine::poll_effect`.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Deliver this message to `to`. For a Send Message widget the engine then waits for
    /// `Engine::handle_sent` or `Engine::handle_send_failure`; for Send & Wait For Reply it waits for
    /// the reply and needs nothing, unless delivery fails (`Engine::handle_send_failure`).
    Send(OutboundMessage),
    /// The execution waits for the contact's reply until `deadline_ms` (then `timeout`).
    WaitForReply { widget: String, deadline_ms: u64 },
    /// Perform this request and report with `Engine::handle_http_response`.
    Http(HttpRequest),
    /// Say/Play: say, play or send digits on the call. The engine waits for
    /// `Engine::handle_audio_complete(id)` (or the caller hanging up).
    SayPlay {
        id: WaitId,
        widget: String,
        audio: Audio,
    },
    /// Gather Input On Call: the prompt plays and the caller may press keys
    /// (`Engine::handle_digits`) or speak (`Engine::handle_speech`) until the deadline
    /// (`handle_timeout`); every key moves the deadline (`poll_timeout`).
    Gather(GatherRequest),
    /// Record Voicemail: the caller may leave a recording (`Engine::handle_recording`) until the
    /// deadline (then `noAudio`).
    Record(RecordRequest),
    /// A widget whose outcome belongs to the outside world waits for one of its events
    /// (`Engine::handle_external`).
    External(ExternalRequest),
    /// The execution is over.
    Ended(EndReason),
}

/// Why an execution ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// A transition without `next`: the normal end of a flow.
    NoNext { widget: String, event: String },
    /// A transition to a widget that does not exist.
    MissingWidget {
        widget: String,
        event: String,
        target: String,
    },
    /// The same widget would run more often than allowed.
    RunLimit { widget: String, limit: u32 },
    /// The execution took more steps than allowed.
    StepLimit { limit: u32 },
    /// The simulator cannot run this widget type.
    Unsupported { widget: String, widget_type: String },
    /// A template or property could not be used.
    Error { widget: String, message: String },
    /// The call ended (the caller hung up) while, or before, `widget` needed it: Studio ends the
    /// execution when its call ends, unless the widget has a `hangup` event to follow.
    CallEnded { widget: String },
    /// A widget that needs a call ran in an execution without one (a message or REST start).
    NoCall { widget: String, widget_type: String },
    /// Stopped by the user.
    Stopped,
}

impl EndReason {
    /// Whether the flow ended the way flows normally end: a transition without `next`, or the
    /// caller hanging up (how call executions end in Studio).
    pub fn is_normal(&self) -> bool {
        matches!(self, EndReason::NoNext { .. } | EndReason::CallEnded { .. })
    }

    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        let (kind, fields): (&str, Vec<(&str, Value)>) = match self {
            EndReason::NoNext { widget, event } => (
                "no-next",
                vec![("widget", json!(widget)), ("event", json!(event))],
            ),
            EndReason::MissingWidget {
                widget,
                event,
                target,
            } => (
                "missing-widget",
                vec![
                    ("widget", json!(widget)),
                    ("event", json!(event)),
                    ("target", json!(target)),
                ],
            ),
            EndReason::RunLimit { widget, limit } => (
                "run-limit",
                vec![("widget", json!(widget)), ("limit", json!(limit))],
            ),
            EndReason::StepLimit { limit } => ("step-limit", vec![("limit", json!(limit))]),
            EndReason::Unsupported {
                widget,
                widget_type,
            } => (
                "unsupported",
                vec![
                    ("widget", json!(widget)),
                    ("widget_type", json!(widget_type)),
                ],
            ),
            EndReason::Error { widget, message } => (
                "error",
                vec![("widget", json!(widget)), ("message", json!(message))],
            ),
            EndReason::CallEnded { widget } => ("call-ended", vec![("widget", json!(widget))]),
            EndReason::NoCall {
                widget,
                widget_type,
            } => (
                "no-call",
                vec![
                    ("widget", json!(widget)),
                    ("widget_type", json!(widget_type)),
                ],
            ),
            EndReason::Stopped => ("stopped", vec![]),
        };
        o.insert("kind".into(), json!(kind));
        for (k, v) in fields {
            o.insert(k.into(), v);
        }
        o.insert("message".into(), json!(self.to_string()));
        Value::Object(o)
    }
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndReason::NoNext { widget, event } => {
                write!(f, "ended: \"{widget}\" has no next widget for \"{event}\"")
            }
            EndReason::MissingWidget { widget, event, target } => write!(
                f,
                "error: \"{widget}\" leads to \"{target}\" on \"{event}\", but no widget has that name"
            ),
            EndReason::RunLimit { widget, limit } => write!(
                f,
                "limit reached: \"{widget}\" already ran {limit} times in this execution (Studio stops a flow there)"
            ),
            EndReason::StepLimit { limit } => {
                write!(f, "limit reached: the execution took {limit} steps (Studio's maximum)")
            }
            EndReason::Unsupported { widget, widget_type } => write!(
                f,
                "unsupported: \"{widget}\" is a {widget_type} widget, which the simulator cannot run"
            ),
            EndReason::Error { widget, message } => write!(f, "error in \"{widget}\": {message}"),
            EndReason::CallEnded { widget } => write!(
                f,
                "call ended: the caller hung up, and \"{widget}\" has no hangup event to follow (Studio ends an execution when its call ends)"
            ),
            EndReason::NoCall { widget, widget_type } => write!(
                f,
                "error: \"{widget}\" is a {widget_type} widget, which needs a call, and this execution has none"
            ),
            EndReason::Stopped => f.write_str("stopped by the user"),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{HttpResponse, Trigger, TriggerKind};

    #[test]
    fn a_mid_flow_start_reads_its_trigger_from_flow_data() {
        let data = json!({
            "flow": {"channel": {"address": "+2"}, "data": {"order": 7}},
            "contact": {"channel": {"address": "+1"}},
            "trigger": {
                "message": {"Body": "hello"},
                "parent": {"parameters": {"who": "Ada"}},
            },
        });
        for kind in TriggerKind::ALL {
            let trigger = kind.trigger_from(&data);
            assert_eq!(trigger.kind(), kind);
            assert_eq!(TriggerKind::from_event(trigger.event()), Some(kind));
            assert_eq!(trigger.addresses(), ("+1".to_owned(), "+2".to_owned()));
        }
        let Trigger::Message(m) = TriggerKind::Message.trigger_from(&data) else {
            panic!("a message")
        };
        assert_eq!(m.body, "hello");
        let Trigger::Rest { parameters, .. } = TriggerKind::Rest.trigger_from(&data) else {
            panic!("a REST request")
        };
        assert_eq!(parameters, json!({"order": 7}));
        let Trigger::Subflow(s) = TriggerKind::Subflow.trigger_from(&data) else {
            panic!("a subflow")
        };
        assert_eq!(s.parameters, json!({"who": "Ada"}));
        assert_eq!(s.parent_trigger, json!({"message": {"Body": "hello"}}));
        // Nothing to read: empty addresses and parameters.
        let Trigger::Rest { parameters, to, .. } = TriggerKind::Rest.trigger_from(&json!({}))
        else {
            panic!("a REST request")
        };
        assert_eq!((parameters, to), (json!({}), String::new()));
    }

    #[test]
    fn headers_are_found_by_case_insensitive_name() {
        let response = HttpResponse {
            status: 200,
            headers: vec![
                ("Content-Type".to_owned(), "text/plain".to_owned()),
                ("Set-Cookie".to_owned(), "a=1".to_owned()),
                ("set-cookie".to_owned(), "b=2".to_owned()),
            ],
            body: String::new(),
        };
        assert_eq!(response.content_type(), Some("text/plain"));
        assert_eq!(response.header("SET-COOKIE"), Some("a=1"));
        assert_eq!(response.header_values("SET-COOKIE"), vec!["a=1", "b=2"]);
        assert_eq!(response.header("x-missing"), None);
        assert!(response.header_values("x-missing").is_empty());
    }
}
