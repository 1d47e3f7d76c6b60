//! The widget types Flowpen knows by name, with Studio's labels.

use std::fmt;

/// A widget's `type` in Flow JSON. Types Flowpen does not model are kept as [`WidgetType::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WidgetType {
    Trigger,
    SendAndWaitForReply,
    RunFunction,
    SetVariables,
    SplitBasedOn,
    SendMessage,
    MakeHttpRequest,
    /// Any other Studio widget (say-play, gather-input-on-call, send-to-flex, …), kept verbatim.
    Other(String),
}

impl WidgetType {
    /// The widgets a user can place from the palette, in Studio's order.
    pub const PALETTE: [WidgetType; 6] = [
        WidgetType::SendAndWaitForReply,
        WidgetType::RunFunction,
        WidgetType::SetVariables,
        WidgetType::SplitBasedOn,
        WidgetType::SendMessage,
        WidgetType::MakeHttpRequest,
    ];

    /// Parses a Flow JSON `type` string.
    pub fn from_type(s: &str) -> WidgetType {
        match s {
            "trigger" => WidgetType::Trigger,
            "send-and-wait-for-reply" => WidgetType::SendAndWaitForReply,
            "run-function" => WidgetType::RunFunction,
            "set-variables" => WidgetType::SetVariables,
            "split-based-on" => WidgetType::SplitBasedOn,
            "send-message" => WidgetType::SendMessage,
            "make-http-request" => WidgetType::MakeHttpRequest,
            other => WidgetType::Other(other.to_owned()),
        }
    }

    /// The Flow JSON `type` string.
    pub fn as_str(&self) -> &str {
        match self {
            WidgetType::Trigger => "trigger",
            WidgetType::SendAndWaitForReply => "send-and-wait-for-reply",
            WidgetType::RunFunction => "run-function",
            WidgetType::SetVariables => "set-variables",
            WidgetType::SplitBasedOn => "split-based-on",
            WidgetType::SendMessage => "send-message",
            WidgetType::MakeHttpRequest => "make-http-request",
            WidgetType::Other(s) => s,
        }
    }

    /// Studio's label for the widget.
    pub fn label(&self) -> &str {
        match self {
            WidgetType::Trigger => "Trigger",
            WidgetType::SendAndWaitForReply => "Send & Wait For Reply",
            WidgetType::RunFunction => "Run Function",
            WidgetType::SetVariables => "Set Variables",
            WidgetType::SplitBasedOn => "Split Based On…",
            WidgetType::SendMessage => "Send Message",
            WidgetType::MakeHttpRequest => "Make HTTP Request",
            WidgetType::Other(s) => s,
        }
    }
}

impl fmt::Display for WidgetType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::WidgetType;

    #[test]
    fn type_strings_round_trip() {
        for t in WidgetType::PALETTE.iter().chain([&WidgetType::Trigger]) {
            assert_eq!(&WidgetType::from_type(t.as_str()), t);
        }
        assert_eq!(
            WidgetType::from_type("say-play"),
            WidgetType::Other("say-play".into())
        );
    }
}
