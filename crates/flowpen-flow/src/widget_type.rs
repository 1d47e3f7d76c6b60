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
    /// Say/Play (`say-play`).
    SayPlay,
    /// Gather Input On Call (`gather-input-on-call`).
    GatherInputOnCall,
    /// Connect Call To (`connect-call-to`).
    ConnectCallTo,
    /// Record Voicemail (`record-voicemail`).
    RecordVoicemail,
    /// Enqueue Call (`enqueue-call`).
    EnqueueCall,
    /// Send to Flex (`send-to-flex`).
    SendToFlex,
    /// Make Outgoing Call, version 2 (`make-outgoing-call-v2`).
    MakeOutgoingCall,
    /// Capture Payments (`capture-payments`).
    CapturePayments,
    /// Send to Autopilot (`send-to-auto-pilot`; Autopilot is deprecated).
    SendToAutopilot,
    /// Run Subflow (`run-subflow`).
    RunSubflow,
    /// TwiML Redirect (`add-twiml-redirect`).
    AddTwimlRedirect,
    /// Call Recording (`record-call`).
    RecordCall,
    /// Fork Stream (`fork-stream`).
    ForkStream,
    /// Connect Virtual Agent (`connect-virtual-agent`).
    ConnectVirtualAgent,
    /// Any other widget type (a newer Studio widget, a typo), kept verbatim.
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

    /// Every typed widget of Studio's voice, contact-center and subflow families, in the widget
    /// library's order (they are not in the palette).
    pub const CALL_AND_MORE: [WidgetType; 14] = [
        WidgetType::SayPlay,
        WidgetType::GatherInputOnCall,
        WidgetType::ConnectCallTo,
        WidgetType::MakeOutgoingCall,
        WidgetType::RecordVoicemail,
        WidgetType::RecordCall,
        WidgetType::EnqueueCall,
        WidgetType::CapturePayments,
        WidgetType::ForkStream,
        WidgetType::ConnectVirtualAgent,
        WidgetType::AddTwimlRedirect,
        WidgetType::SendToFlex,
        WidgetType::SendToAutopilot,
        WidgetType::RunSubflow,
    ];

    /// Every widget a user can add to a flow: the palette's, then the others.
    pub fn addable() -> impl Iterator<Item = WidgetType> {
        WidgetType::PALETTE
            .into_iter()
            .chain(WidgetType::CALL_AND_MORE)
    }

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
            "say-play" => WidgetType::SayPlay,
            "gather-input-on-call" => WidgetType::GatherInputOnCall,
            "connect-call-to" => WidgetType::ConnectCallTo,
            "record-voicemail" => WidgetType::RecordVoicemail,
            "enqueue-call" => WidgetType::EnqueueCall,
            "send-to-flex" => WidgetType::SendToFlex,
            "make-outgoing-call-v2" => WidgetType::MakeOutgoingCall,
            "capture-payments" => WidgetType::CapturePayments,
            "send-to-auto-pilot" => WidgetType::SendToAutopilot,
            "run-subflow" => WidgetType::RunSubflow,
            "add-twiml-redirect" => WidgetType::AddTwimlRedirect,
            "record-call" => WidgetType::RecordCall,
            "fork-stream" => WidgetType::ForkStream,
            "connect-virtual-agent" => WidgetType::ConnectVirtualAgent,
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
            WidgetType::SayPlay => "say-play",
            WidgetType::GatherInputOnCall => "gather-input-on-call",
            WidgetType::ConnectCallTo => "connect-call-to",
            WidgetType::RecordVoicemail => "record-voicemail",
            WidgetType::EnqueueCall => "enqueue-call",
            WidgetType::SendToFlex => "send-to-flex",
            WidgetType::MakeOutgoingCall => "make-outgoing-call-v2",
            WidgetType::CapturePayments => "capture-payments",
            WidgetType::SendToAutopilot => "send-to-auto-pilot",
            WidgetType::RunSubflow => "run-subflow",
            WidgetType::AddTwimlRedirect => "add-twiml-redirect",
            WidgetType::RecordCall => "record-call",
            WidgetType::ForkStream => "fork-stream",
            WidgetType::ConnectVirtualAgent => "connect-virtual-agent",
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
            WidgetType::SayPlay => "Say/Play",
            WidgetType::GatherInputOnCall => "Gather Input On Call",
            WidgetType::ConnectCallTo => "Connect Call To",
            WidgetType::RecordVoicemail => "Record Voicemail",
            WidgetType::EnqueueCall => "Enqueue Call",
            WidgetType::SendToFlex => "Send to Flex",
            WidgetType::MakeOutgoingCall => "Make Outgoing Call",
            WidgetType::CapturePayments => "Capture Payments",
            WidgetType::SendToAutopilot => "Send to Autopilot",
            WidgetType::RunSubflow => "Run Subflow",
            WidgetType::AddTwimlRedirect => "TwiML Redirect",
            WidgetType::RecordCall => "Call Recording",
            WidgetType::ForkStream => "Fork Stream",
            WidgetType::ConnectVirtualAgent => "Connect Virtual Agent",
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
        let all = WidgetType::PALETTE
            .iter()
            .chain(WidgetType::CALL_AND_MORE.iter())
            .chain([&WidgetType::Trigger]);
        let mut seen = std::collections::BTreeSet::new();
        for t in all {
            assert_eq!(&WidgetType::from_type(t.as_str()), t);
            assert!(seen.insert(t.as_str().to_owned()), "{t} listed twice");
            assert_ne!(t.label(), t.as_str(), "{t} has a label of its own");
        }
        assert_eq!(seen.len(), 21);
        assert_eq!(
            WidgetType::from_type("make-outgoing-call"),
            WidgetType::Other("make-outgoing-call".into()),
            "v1 of Make Outgoing Call is not modelled"
        );
        assert_eq!(
            WidgetType::from_type("connect-virtual-agent-v2"),
            WidgetType::Other("connect-virtual-agent-v2".into())
        );
    }
}
