//! What Flowpen knows about each typed widget: its transition events and its properties, with
//! Studio's labels, defaults and requirements. Validation, the editor's inspector and new widgets
//! all read this one table.

mod voice;

use crate::json::{Json, Object};
use crate::WidgetType;

pub use voice::{CHANNELS, GET_POST, NOUNS, TRIM, TRUE_FALSE};

/// A transition event a widget type can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventSpec {
    /// The event in Flow JSON (`incomingMessage`, `success`, …).
    pub name: &'static str,
    /// Studio's label for the port (`Reply`, `Success`, …).
    pub label: &'static str,
    /// Whether a widget may have several transitions with this event (a split's `match`).
    pub repeatable: bool,
}

/// How a property is edited and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropKind {
    /// A single-line text (Liquid when `templated`).
    Text,
    /// A multi-line text (Liquid when `templated`).
    Multiline,
    /// A number that Studio may write as a string (`"3600"`).
    Number,
    /// One of a fixed list of values.
    Choice(&'static [(&'static str, &'static str)]),
    /// A list of `{key, value}` objects (parameters, variables, content variables).
    KeyValues,
    /// A boolean.
    Bool,
}

/// A property of a typed widget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropSpec {
    /// The key in `properties`.
    pub key: &'static str,
    /// Studio's label.
    pub label: &'static str,
    pub kind: PropKind,
    /// Studio rejects the widget without it.
    pub required: bool,
    /// Rendered as Liquid at run time (for key/value lists: the values).
    pub templated: bool,
    /// What a new widget gets (`None`: the property is left out).
    pub default: Option<&'static str>,
}

/// Everything Flowpen knows about one widget type.
#[derive(Clone, Copy, Debug)]
pub struct WidgetSpec {
    pub events: &'static [EventSpec],
    pub props: &'static [PropSpec],
    /// Prefix of default names (`split` → `split_1`), as Studio names new widgets.
    pub name_prefix: &'static str,
}

const fn ev(name: &'static str, label: &'static str) -> EventSpec {
    EventSpec {
        name,
        label,
        repeatable: false,
    }
}

const fn text(
    key: &'static str,
    label: &'static str,
    required: bool,
    default: Option<&'static str>,
) -> PropSpec {
    PropSpec {
        key,
        label,
        kind: PropKind::Text,
        required,
        templated: true,
        default,
    }
}

const CONTACT: Option<&str> = Some("{{contact.channel.address}}");
const FLOW_ADDRESS: Option<&str> = Some("{{flow.channel.address}}");

/// Content types offered by Make HTTP Request.
pub const HTTP_CONTENT_TYPES: &[(&str, &str)] = &[
    (
        "application/x-www-form-urlencoded;charset=utf-8",
        "Form URL Encoded",
    ),
    ("application/json;charset=utf-8", "Application/JSON"),
];

/// Methods offered by Make HTTP Request.
pub const HTTP_METHODS: &[(&str, &str)] = &[("GET", "GET"), ("POST", "POST")];

static TRIGGER: WidgetSpec = WidgetSpec {
    events: &[
        ev("incomingMessage", "Incoming Message"),
        ev("incomingCall", "Incoming Call"),
        ev("incomingConversationMessage", "Incoming Conversation"),
        ev("incomingRequest", "REST API"),
        ev("incomingParent", "Subflow"),
    ],
    props: &[],
    name_prefix: "trigger",
};

static SEND_AND_WAIT: WidgetSpec = WidgetSpec {
    events: &[
        ev("incomingMessage", "Reply"),
        ev("timeout", "No Reply"),
        ev("deliveryFailure", "Delivery Failure"),
    ],
    props: &[
        PropSpec {
            kind: PropKind::Multiline,
            ..text("body", "Message Body", true, Some(""))
        },
        text("from", "Send Message From", true, FLOW_ADDRESS),
        PropSpec {
            kind: PropKind::Number,
            templated: false,
            ..text(
                "timeout",
                "Stop Gathering After (seconds)",
                false,
                Some("3600"),
            )
        },
        text("media_url", "Media URL", false, None),
        text("service", "Messaging Service", false, None),
        text("channel", "Channel", false, None),
        text("attributes", "Attributes", false, None),
    ],
    name_prefix: "send_and_reply",
};

static SEND_MESSAGE: WidgetSpec = WidgetSpec {
    events: &[ev("sent", "Sent"), ev("failed", "Failed")],
    props: &[
        PropSpec {
            kind: PropKind::Multiline,
            ..text("body", "Message Body", true, Some(""))
        },
        text("from", "Send Message From", true, FLOW_ADDRESS),
        text("to", "Send Message To", true, CONTACT),
        text("media_url", "Media URL", false, None),
        text("service", "Messaging Service", false, None),
        text("channel", "Channel", false, None),
        text("attributes", "Attributes", false, None),
    ],
    name_prefix: "send_message",
};

static RUN_FUNCTION: WidgetSpec = WidgetSpec {
    events: &[ev("success", "Success"), ev("fail", "Fail")],
    props: &[
        text("url", "Function URL", true, Some("")),
        PropSpec {
            kind: PropKind::KeyValues,
            ..text("parameters", "Function Parameters", false, None)
        },
        PropSpec {
            templated: false,
            ..text("service_sid", "Service", false, None)
        },
        PropSpec {
            templated: false,
            ..text("environment_sid", "Environment", false, None)
        },
        PropSpec {
            templated: false,
            ..text("function_sid", "Function", false, None)
        },
    ],
    name_prefix: "function",
};

static SET_VARIABLES: WidgetSpec = WidgetSpec {
    events: &[ev("next", "Next")],
    props: &[PropSpec {
        kind: PropKind::KeyValues,
        ..text("variables", "Variables", false, Some("[]"))
    }],
    name_prefix: "set_variables",
};

static SPLIT: WidgetSpec = WidgetSpec {
    events: &[
        ev("noMatch", "No Condition Matches"),
        EventSpec {
            name: "match",
            label: "Condition Matches",
            repeatable: true,
        },
    ],
    props: &[text("input", "Variable To Test", true, Some(""))],
    name_prefix: "split",
};

static HTTP: WidgetSpec = WidgetSpec {
    events: &[ev("success", "Success"), ev("failed", "Fail")],
    props: &[
        PropSpec {
            kind: PropKind::Choice(HTTP_METHODS),
            templated: false,
            ..text("method", "Request Method", true, Some("GET"))
        },
        text("url", "Request URL", true, Some("")),
        PropSpec {
            kind: PropKind::Choice(HTTP_CONTENT_TYPES),
            templated: false,
            ..text(
                "content_type",
                "Content Type",
                true,
                Some("application/x-www-form-urlencoded;charset=utf-8"),
            )
        },
        PropSpec {
            kind: PropKind::KeyValues,
            ..text("parameters", "HTTP Parameters", false, None)
        },
        PropSpec {
            kind: PropKind::Multiline,
            ..text("body", "Request Body", false, None)
        },
        PropSpec {
            kind: PropKind::Bool,
            templated: false,
            ..text("add_twilio_auth", "Authenticate With Twilio", false, None)
        },
    ],
    name_prefix: "http",
};

/// The spec of a typed widget; `None` for types Flowpen keeps as generic widgets.
pub fn widget_spec(kind: &WidgetType) -> Option<&'static WidgetSpec> {
    match kind {
        WidgetType::Trigger => Some(&TRIGGER),
        WidgetType::SendAndWaitForReply => Some(&SEND_AND_WAIT),
        WidgetType::SendMessage => Some(&SEND_MESSAGE),
        WidgetType::RunFunction => Some(&RUN_FUNCTION),
        WidgetType::SetVariables => Some(&SET_VARIABLES),
        WidgetType::SplitBasedOn => Some(&SPLIT),
        WidgetType::MakeHttpRequest => Some(&HTTP),
        WidgetType::SayPlay => Some(&voice::SAY_PLAY),
        WidgetType::GatherInputOnCall => Some(&voice::GATHER),
        WidgetType::ConnectCallTo => Some(&voice::CONNECT_CALL),
        WidgetType::RecordVoicemail => Some(&voice::RECORD_VOICEMAIL),
        WidgetType::EnqueueCall => Some(&voice::ENQUEUE_CALL),
        WidgetType::SendToFlex => Some(&voice::SEND_TO_FLEX),
        WidgetType::MakeOutgoingCall => Some(&voice::MAKE_OUTGOING_CALL),
        WidgetType::CapturePayments => Some(&voice::CAPTURE_PAYMENTS),
        WidgetType::SendToAutopilot => Some(&voice::SEND_TO_AUTOPILOT),
        WidgetType::RunSubflow => Some(&voice::RUN_SUBFLOW),
        WidgetType::AddTwimlRedirect => Some(&voice::TWIML_REDIRECT),
        WidgetType::RecordCall => Some(&voice::RECORD_CALL),
        WidgetType::ForkStream => Some(&voice::FORK_STREAM),
        WidgetType::ConnectVirtualAgent => Some(&voice::CONNECT_VIRTUAL_AGENT),
        WidgetType::Other(_) => None,
    }
}

/// Studio's label for an event of a widget type (the event name itself when unknown).
pub fn event_label<'a>(kind: &WidgetType, event: &'a str) -> &'a str {
    widget_spec(kind)
        .and_then(|s| s.events.iter().find(|e| e.name == event))
        .map_or(event, |e| e.label)
}

/// Properties of a new widget of this type, in Studio's order (`offset` first).
pub fn default_properties(kind: &WidgetType) -> Object {
    let mut props = Object::new();
    let mut offset = Object::new();
    offset.set("x", Json::int(0));
    offset.set("y", Json::int(0));
    props.set("offset", Json::Object(offset));
    for p in widget_spec(kind).map_or(&[][..], |s| s.props) {
        let Some(default) = p.default else { continue };
        let value = match p.kind {
            PropKind::KeyValues => Json::Array(Vec::new()),
            PropKind::Bool => Json::Bool(default == "true"),
            _ => Json::str(default),
        };
        props.set(p.key, value);
    }
    props
}

/// The 17 split condition types, in Studio's order, with their labels.
pub const CONDITION_TYPES: &[(&str, &str)] = &[
    ("equal_to", "Equal To"),
    ("not_equal_to", "Not Equal To"),
    ("matches_any_of", "Matches Any Of"),
    ("does_not_match_any_of", "Does Not Match Any Of"),
    ("is_blank", "Is Blank"),
    ("is_not_blank", "Is Not Blank"),
    ("regex", "Regex"),
    ("contains", "Contains"),
    ("does_not_contain", "Does Not Contain"),
    ("starts_with", "Starts With"),
    ("does_not_start_with", "Does Not Start With"),
    ("less_than", "Less Than"),
    ("greater_than", "Greater Than"),
    ("is_before_time", "Is Before Time"),
    ("is_after_time", "Is After Time"),
    ("is_before_date", "Is Before Date"),
    ("is_after_date", "Is After Date"),
];

/// Whether `kind` is one of Studio's split condition types.
pub fn is_condition_type(kind: &str) -> bool {
    CONDITION_TYPES.iter().any(|(k, _)| *k == kind)
}
