//! The specs of Studio's voice, contact-center and subflow widgets: events with the port labels of
//! Studio's widget library, properties as the corpus and Twilio's docs write them.
//!
//! Sources: the widget library pages (<https://www.twilio.com/docs/studio/widget-library>: sayplay,
//! gather-input-call, connect-call, record-voicemail, enqueue-call, send-flex, make-outgoing-call,
//! call-recording, twiml-redirect, connect-virtual-agent, run-subflow), the corpus (value types:
//! `profanity_filter`, `play_beep`, `trim` and `postal_code` are strings, `stop_gather`,
//! `transcribe`, `record` and `security_code` booleans) and RJPearson94/twilio-sdk-go
//! `studio/widgets/*.go` for JSON event names the pages do not show (`capture-payments`,
//! `send-to-auto-pilot`, `fork-stream`). Connect Virtual Agent's current events (Completed, Live Agent
//! Handoff, Paused, Hangup, Timeout, Failed on its page) are spelled `completed`,
//! `live-agent-handoff`, `paused`, `hangup`, `timeout`, `failed` as a third-party widget catalog
//! records them (no corpus flow has the widget); the SDK's older `return` is kept too.

use super::{ev, text, PropKind, PropSpec, WidgetSpec, CONTACT, FLOW_ADDRESS};

const fn number(key: &'static str, label: &'static str, default: Option<&'static str>) -> PropSpec {
    PropSpec {
        kind: PropKind::Number,
        templated: false,
        ..text(key, label, false, default)
    }
}

const fn flag(key: &'static str, label: &'static str) -> PropSpec {
    PropSpec {
        kind: PropKind::Bool,
        templated: false,
        ..text(key, label, false, None)
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    choices: &'static [(&'static str, &'static str)],
    default: Option<&'static str>,
) -> PropSpec {
    PropSpec {
        kind: PropKind::Choice(choices),
        templated: false,
        ..text(key, label, false, default)
    }
}

const fn plain(key: &'static str, label: &'static str) -> PropSpec {
    PropSpec {
        templated: false,
        ..text(key, label, false, None)
    }
}

const fn liquid(key: &'static str, label: &'static str) -> PropSpec {
    text(key, label, false, None)
}

const fn multiline(
    key: &'static str,
    label: &'static str,
    default: Option<&'static str>,
) -> PropSpec {
    PropSpec {
        kind: PropKind::Multiline,
        ..text(key, label, false, default)
    }
}

const fn pairs(key: &'static str, label: &'static str) -> PropSpec {
    PropSpec {
        kind: PropKind::KeyValues,
        ..text(key, label, false, None)
    }
}

/// `"true"` / `"false"` written as strings (Studio's toggles that export as text).
pub const TRUE_FALSE: &[(&str, &str)] = &[("true", "True"), ("false", "False")];
/// Trim choices of recordings.
pub const TRIM: &[(&str, &str)] = &[
    ("trim-silence", "Trim silence"),
    ("do-not-trim", "Do not trim"),
];
/// HTTP methods of TwiML and callback URLs.
pub const GET_POST: &[(&str, &str)] = &[("GET", "GET"), ("POST", "POST")];
/// Recording channels.
pub const CHANNELS: &[(&str, &str)] = &[("mono", "Mono Channel"), ("dual", "Dual Channel")];
/// What Connect Call To dials.
pub const NOUNS: &[(&str, &str)] = &[
    ("number", "Single Number"),
    ("number-multi", "Multiple Numbers"),
    ("client", "Client"),
    ("sim", "SIM"),
    ("sip", "SIP Endpoint"),
    ("conference", "Conference"),
];

pub(super) static SAY_PLAY: WidgetSpec = WidgetSpec {
    events: &[ev("audioComplete", "Audio Complete")],
    props: &[
        multiline("say", "Text to Say", Some("")),
        liquid("play", "URL of Audio File"),
        liquid("digits", "Digits"),
        liquid("voice", "Voice"),
        liquid("language", "Language"),
        number("loop", "Loops", Some("1")),
    ],
    name_prefix: "say_play",
};

pub(super) static GATHER: WidgetSpec = WidgetSpec {
    events: &[
        ev("keypress", "User Pressed Keys"),
        ev("speech", "User Said Something"),
        ev("timeout", "No Input"),
    ],
    props: &[
        multiline("say", "Text to Say", Some("")),
        liquid("play", "URL of Audio File"),
        liquid("voice", "Message Voice"),
        liquid("language", "Language"),
        number("loop", "Number of Loops", Some("1")),
        number("timeout", "Stop Gathering After (seconds)", Some("5")),
        flag("stop_gather", "Stop Gathering On Keypress?"),
        PropSpec {
            templated: false,
            ..text(
                "finish_on_key",
                "Stop Gathering On Keypress",
                false,
                Some("#"),
            )
        },
        number(
            "number_of_digits",
            "Stop Gathering After Number Of Digits",
            None,
        ),
        liquid("gather_language", "Speech Recognition Language"),
        liquid("hints", "Speech Recognition Hints"),
        choice("profanity_filter", "Profanity Filter", TRUE_FALSE, None),
        plain("speech_timeout", "Speech Input Timeout"),
        plain("speech_model", "Speech Model"),
    ],
    name_prefix: "gather",
};

pub(super) static CONNECT_CALL: WidgetSpec = WidgetSpec {
    events: &[
        ev("callCompleted", "Connected Call Ended"),
        ev("hangup", "Caller Hung Up"),
    ],
    props: &[
        PropSpec {
            required: true,
            ..choice("noun", "Connect Call To", NOUNS, Some("number"))
        },
        liquid("to", "To"),
        text("caller_id", "Caller ID", true, CONTACT),
        flag("record", "Record"),
        number("timeout", "Timeout", Some("30")),
        number("time_limit", "Time Limit", None),
        liquid("sip_endpoint", "SIP Endpoint"),
        liquid("sip_username", "SIP Username"),
        liquid("sip_password", "SIP Password"),
    ],
    name_prefix: "connect_call",
};

pub(super) static RECORD_VOICEMAIL: WidgetSpec = WidgetSpec {
    events: &[
        ev("recordingComplete", "Recording Complete"),
        ev("noAudio", "No Audio"),
        ev("hangup", "Hangup"),
    ],
    props: &[
        number(
            "timeout",
            "Stop Recording After (seconds of silence)",
            Some("5"),
        ),
        plain("finish_on_key", "Stop Recording On Keypress"),
        number("max_length", "Max Recording Length", Some("3600")),
        flag("transcribe", "Transcribe Audio To Text"),
        liquid("transcription_callback_url", "Transcription Callback URL"),
        choice("trim", "Trim", TRIM, Some("trim-silence")),
        choice("play_beep", "Play Beep", TRUE_FALSE, Some("true")),
        liquid("recording_status_callback_url", "Recording Status Callback"),
    ],
    name_prefix: "record_voicemail",
};

pub(super) static ENQUEUE_CALL: WidgetSpec = WidgetSpec {
    events: &[
        ev("callComplete", "Call Complete"),
        ev("failedToEnqueue", "Failed To Enqueue"),
        ev("callFailure", "Call Failed"),
    ],
    props: &[
        liquid("queue_name", "Queue Name"),
        plain("workflow_sid", "Task Router Workflow"),
        multiline("task_attributes", "Task Attributes", None),
        number("priority", "Priority", None),
        number("timeout", "Timeout", None),
        liquid("wait_url", "Hold Music TwiML URL"),
        choice("wait_url_method", "TwiML Request Method", GET_POST, None),
    ],
    name_prefix: "enqueue",
};

pub(super) static SEND_TO_FLEX: WidgetSpec = WidgetSpec {
    events: &[
        ev("callComplete", "Task Created"),
        ev("failedToEnqueue", "Failed To Create Task"),
        ev("callFailure", "Call Failed"),
    ],
    props: &[
        PropSpec {
            required: true,
            ..plain("workflow", "Workflow")
        },
        PropSpec {
            required: true,
            ..plain("channel", "Channel")
        },
        multiline("attributes", "Attributes", None),
        number("priority", "Priority", None),
        number("timeout", "Timeout", None),
        liquid("waitUrl", "Hold Music TwiML URL"),
        choice("waitUrlMethod", "URL Method", GET_POST, None),
    ],
    name_prefix: "send_to_flex",
};

pub(super) static MAKE_OUTGOING_CALL: WidgetSpec = WidgetSpec {
    events: &[
        ev("answered", "Answered"),
        ev("busy", "Busy"),
        ev("noAnswer", "No Answer"),
        ev("failed", "Call Failed"),
    ],
    props: &[
        text("to", "Number To Call", true, CONTACT),
        text("from", "Number To Make Call From", true, FLOW_ADDRESS),
        flag("record", "Record Call"),
        choice("recording_channels", "Recording Channels", CHANNELS, None),
        liquid("recording_status_callback", "Recording Status Callback URL"),
        choice("trim", "Trim Silence", TRIM, None),
        flag("detect_answering_machine", "Detect Answering Machine"),
        choice(
            "machine_detection",
            "Machine Detection",
            &[
                ("Enable", "Detect Machine Start"),
                ("DetectMessageEnd", "Detect Machine End"),
            ],
            None,
        ),
        number(
            "machine_detection_timeout",
            "Machine Detection Timeout",
            None,
        ),
        number(
            "machine_detection_speech_threshold",
            "Machine Detection Speech Threshold",
            None,
        ),
        number(
            "machine_detection_speech_end_threshold",
            "Machine Detection Speech End Threshold",
            None,
        ),
        number(
            "machine_detection_silence_timeout",
            "Machine Detection Speech Timeout",
            None,
        ),
        liquid("send_digits", "Send Digits"),
        number("timeout", "Timeout", Some("60")),
        liquid("sip_auth_username", "SIP Username"),
        liquid("sip_auth_password", "SIP Password"),
    ],
    name_prefix: "call_user",
};

pub(super) static CAPTURE_PAYMENTS: WidgetSpec = WidgetSpec {
    events: &[
        ev("success", "Success"),
        ev("maxFailedAttempts", "Max Failed Attempts"),
        ev("providerError", "Provider Error"),
        ev("payInterrupted", "Pay Interrupted"),
        ev("hangup", "Hangup"),
        ev("validationError", "Validation Error"),
    ],
    props: &[
        plain("payment_connector", "Payment Connector"),
        liquid("payment_amount", "Charge Amount"),
        liquid("currency", "Currency"),
        choice(
            "payment_token_type",
            "Payment Token Type",
            &[("one-time", "One Time"), ("reusable", "Reusable")],
            None,
        ),
        plain("payment_method", "Payment Method"),
        flag("security_code", "Request Security Code?"),
        choice("postal_code", "Request Postal Code?", TRUE_FALSE, None),
        number("min_postal_code_length", "Min Postal Code Length", None),
        number("max_attempts", "Max Attempts", None),
        number("timeout", "Timeout", None),
        liquid("language", "Language"),
        liquid("description", "Description"),
        pairs("parameters", "Parameters"),
    ],
    name_prefix: "pay",
};

pub(super) static SEND_TO_AUTOPILOT: WidgetSpec = WidgetSpec {
    events: &[
        ev("sessionEnded", "Session Ended"),
        ev("failure", "Failure"),
        ev("timeout", "Timeout"),
    ],
    props: &[
        PropSpec {
            required: true,
            ..plain("autopilot_assistant_sid", "Autopilot Assistant")
        },
        PropSpec {
            kind: PropKind::Multiline,
            ..text(
                "body",
                "Message Body",
                true,
                Some("{{trigger.message.Body}}"),
            )
        },
        text("from", "Send Message From", true, FLOW_ADDRESS),
        liquid("chat_service", "Chat Service"),
        liquid("chat_channel", "Chat Channel"),
        liquid("chat_attributes", "Chat Attributes"),
        plain("target_task", "Target Task"),
        pairs("memory_parameters", "Memory Parameters"),
        PropSpec {
            required: true,
            ..number("timeout", "Timeout", Some("14400"))
        },
    ],
    name_prefix: "autopilot",
};

pub(super) static RUN_SUBFLOW: WidgetSpec = WidgetSpec {
    events: &[ev("completed", "Completed"), ev("failed", "Failed")],
    props: &[
        PropSpec {
            required: true,
            ..plain("flow_sid", "Flow")
        },
        PropSpec {
            required: true,
            default: Some("LatestPublished"),
            ..plain("flow_revision", "Revision")
        },
        pairs("parameters", "Parameters"),
    ],
    name_prefix: "subflow",
};

pub(super) static TWIML_REDIRECT: WidgetSpec = WidgetSpec {
    events: &[
        ev("return", "Return"),
        ev("timeout", "Timeout"),
        ev("fail", "Failed"),
    ],
    props: &[
        text("url", "URL", true, Some("")),
        choice("method", "Method", GET_POST, Some("POST")),
        number("timeout", "Timeout", Some("14400")),
    ],
    name_prefix: "redirect",
};

pub(super) static RECORD_CALL: WidgetSpec = WidgetSpec {
    events: &[ev("success", "Success"), ev("failed", "Failed")],
    props: &[
        PropSpec {
            required: true,
            default: Some("false"),
            ..flag("record_call", "Record Call")
        },
        liquid("recording_status_callback", "Recording Status Callback URL"),
        choice(
            "recording_status_callback_method",
            "Recording Status Callback Method",
            GET_POST,
            None,
        ),
        plain("recording_status_callback_events", "Recording Status Event"),
        choice("recording_channels", "Recording Channels", CHANNELS, None),
        choice("trim", "Trim", TRIM, None),
    ],
    name_prefix: "call_recording",
};

pub(super) static FORK_STREAM: WidgetSpec = WidgetSpec {
    events: &[ev("next", "Next")],
    props: &[
        PropSpec {
            required: true,
            ..choice(
                "stream_action",
                "Stream Action",
                &[("start", "Start"), ("stop", "Stop")],
                Some("start"),
            )
        },
        liquid("stream_name", "Stream Name"),
        choice(
            "stream_transport_type",
            "Stream Type",
            &[("websocket", "WebSocket"), ("siprec", "SIPREC")],
            None,
        ),
        liquid("stream_url", "Stream URL"),
        choice(
            "stream_track",
            "Stream Track",
            &[
                ("inbound_track", "Inbound Track"),
                ("outbound_track", "Outbound Track"),
                ("both_tracks", "Both Tracks"),
            ],
            None,
        ),
        plain("stream_connector", "Stream Connector"),
        pairs("stream_parameters", "Stream Parameters"),
    ],
    name_prefix: "stream",
};

pub(super) static CONNECT_VIRTUAL_AGENT: WidgetSpec = WidgetSpec {
    events: &[
        ev("completed", "Completed"),
        ev("live-agent-handoff", "Live Agent Handoff"),
        ev("paused", "Paused"),
        ev("hangup", "Hangup"),
        ev("timeout", "Timeout"),
        ev("failed", "Failed"),
        ev("return", "Return"),
    ],
    props: &[
        PropSpec {
            required: true,
            ..plain("connector", "Connector Name")
        },
        liquid("language", "Language"),
        plain("sentiment_analysis", "Sentiment Analysis"),
        liquid("status_callback", "Status Callback URL"),
    ],
    name_prefix: "virtual_agent",
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::spec::{default_properties, widget_spec};
    use crate::WidgetType;

    /// The transition events of RJPearson94/twilio-sdk-go `studio/widgets/*.go` (and, for Connect
    /// Virtual Agent, its page's six plus the SDK's `return`).
    const EVENTS: &[(&str, &[&str])] = &[
        ("say-play", &["audioComplete"]),
        ("gather-input-on-call", &["keypress", "speech", "timeout"]),
        ("connect-call-to", &["callCompleted", "hangup"]),
        (
            "record-voicemail",
            &["recordingComplete", "noAudio", "hangup"],
        ),
        (
            "enqueue-call",
            &["callComplete", "failedToEnqueue", "callFailure"],
        ),
        (
            "send-to-flex",
            &["callComplete", "failedToEnqueue", "callFailure"],
        ),
        (
            "make-outgoing-call-v2",
            &["answered", "busy", "noAnswer", "failed"],
        ),
        (
            "capture-payments",
            &[
                "success",
                "maxFailedAttempts",
                "providerError",
                "payInterrupted",
                "hangup",
                "validationError",
            ],
        ),
        (
            "send-to-auto-pilot",
            &["sessionEnded", "failure", "timeout"],
        ),
        ("run-subflow", &["completed", "failed"]),
        ("add-twiml-redirect", &["return", "timeout", "fail"]),
        ("record-call", &["success", "failed"]),
        ("fork-stream", &["next"]),
        (
            "connect-virtual-agent",
            &[
                "completed",
                "live-agent-handoff",
                "paused",
                "hangup",
                "timeout",
                "failed",
                "return",
            ],
        ),
    ];

    #[test]
    fn every_call_widget_has_its_events_and_unique_properties() {
        assert_eq!(EVENTS.len(), WidgetType::CALL_AND_MORE.len());
        for (kind, events) in EVENTS {
            let kind = WidgetType::from_type(kind);
            assert!(WidgetType::CALL_AND_MORE.contains(&kind), "{kind}");
            let spec = widget_spec(&kind).expect("a spec");
            let names: Vec<&str> = spec.events.iter().map(|e| e.name).collect();
            assert_eq!(&names, events, "{kind}");
            assert!(spec
                .events
                .iter()
                .all(|e| !e.label.is_empty() && !e.repeatable));
            let keys: BTreeSet<&str> = spec.props.iter().map(|p| p.key).collect();
            assert_eq!(keys.len(), spec.props.len(), "{kind}: a property twice");
            assert!(!spec.name_prefix.is_empty());
        }
    }

    #[test]
    fn new_call_widgets_get_studios_defaults() {
        let props = default_properties(&WidgetType::GatherInputOnCall);
        assert_eq!(props.str("finish_on_key"), Some("#"));
        assert_eq!(props.str("timeout"), Some("5"));
        let props = default_properties(&WidgetType::RecordCall);
        assert_eq!(props.get("record_call"), Some(&crate::Json::Bool(false)));
        let props = default_properties(&WidgetType::ConnectCallTo);
        assert_eq!(props.str("caller_id"), Some("{{contact.channel.address}}"));
        assert_eq!(props.str("noun"), Some("number"));
    }
}
