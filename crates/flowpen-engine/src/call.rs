//! Calls and the outside world, as plain data: what the flow does on a call (say, play, gather,
//! record), what the caller does (keys, speech, a recording, hanging up), and the widgets whose
//! outcome belongs to another system (a dialled party, a queue, Flex, a payment connector…).
//!
//! Audio is simulated as text: a Say is its text, a recording is the text that stands in for what
//! the caller said, speech recognition is the text the caller "said" with a confidence.

use std::fmt;

use serde_json::Value;

/// Identifies what the engine waits for on a call (a Say/Play) or in the outside world, so the
/// shell's answer reaches the right wait (a late answer gets [`crate::InputError::UnknownId`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WaitId(pub u32);

impl fmt::Display for WaitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// An incoming call (the Trigger's `incomingCall`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboundCall {
    /// The caller (`From`, `Caller`; `contact.channel.address`).
    pub from: String,
    /// The flow's number (`To`, `Called`; `flow.channel.address`).
    pub to: String,
    /// More webhook parameters, added to `trigger.call` as given (`HandoffData`, `FromCity`,
    /// `CallerCountry`, …). Geographic ones (`…City`, `…Country`, `…State`, `…Zip`) are also passed
    /// on to the variables of the call widgets, as Twilio passes them on every call webhook.
    pub parameters: Vec<(String, String)>,
}

/// How a subflow starts on its own (the Trigger's `incomingParent`), as if a parent flow's Run
/// Subflow widget had started it. (A subflow run by a Run Subflow widget of the engine's own flow
/// gets all of this from the parent.)
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubflowStart {
    /// `contact.channel.address`.
    pub contact: String,
    /// `flow.channel.address`.
    pub flow_address: String,
    /// `trigger.parent.parameters` (a JSON object; anything else counts as `{}`).
    pub parameters: Value,
    /// The parent's trigger data (`{"message": {…}}`, `{"call": {…}}`, …), copied into `trigger`
    /// as Studio copies it. With a `call`, the execution is on that call.
    pub parent_trigger: Value,
}

/// The call an execution is on: the incoming call, or the call Make Outgoing Call placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInfo {
    /// `CA…`.
    pub sid: String,
    pub from: String,
    pub to: String,
    /// `inbound` or `outbound-api`.
    pub direction: String,
    /// Whether the call is still up (false once the caller hung up).
    pub live: bool,
}

/// What a Say/Play (or a Gather's prompt) does on the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AudioKind {
    /// Text-to-speech (`say`), with the voice and language when the widget sets them.
    Say {
        text: String,
        voice: Option<String>,
        language: Option<String>,
    },
    /// An audio file (`play`).
    Play { url: String },
    /// DTMF tones (`digits`; `w` and `W` are pauses).
    Digits { digits: String },
}

/// Audio on the call, repeated `loops` times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audio {
    pub kind: AudioKind,
    /// 1 to 99 (the widget's `loop`).
    pub loops: u32,
}

impl fmt::Display for Audio {
    /// `say: text (voice, language)`, `play: URL` or `digits: 12w#`, with `×N` for loops.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            AudioKind::Say {
                text,
                voice,
                language,
            } => {
                write!(f, "say: {text}")?;
                let how: Vec<&str> = [voice.as_deref(), language.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                if !how.is_empty() {
                    write!(f, " ({})", how.join(", "))?;
                }
            }
            AudioKind::Play { url } => write!(f, "play: {url}")?,
            AudioKind::Digits { digits } => write!(f, "digits: {digits}")?,
        }
        if self.loops > 1 {
            write!(f, " ×{}", self.loops)?;
        }
        Ok(())
    }
}

/// Speech recognition settings of a Gather (on when its `speech` transition leads somewhere).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeechSettings {
    /// `gather_language` (default `en-US`).
    pub language: String,
    /// `hints`, split at commas.
    pub hints: Vec<String>,
    /// `speech_timeout`: `auto` or seconds.
    pub timeout: String,
    pub model: Option<String>,
    pub profanity_filter: bool,
}

/// What a Gather Input On Call waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatherRequest {
    pub widget: String,
    /// The prompt, which plays while the caller may already answer.
    pub prompt: Option<Audio>,
    /// Seconds without a key (after the prompt, and between keys) before the gather ends.
    pub timeout_s: u64,
    /// The key that submits the digits before it (`None`: no such key).
    pub finish_on_key: Option<char>,
    /// The gather ends once this many keys are pressed.
    pub number_of_digits: Option<u32>,
    /// `None`: speech recognition is off, so speech is not heard.
    pub speech: Option<SpeechSettings>,
    /// When the gather ends without input (`timeout`), as things stand now.
    pub deadline_ms: u64,
}

/// What a Record Voicemail waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRequest {
    pub widget: String,
    /// The longest recording, in seconds (`max_length`, default 3600).
    pub max_length_s: u64,
    /// Seconds of silence that end the recording; with no recording at all by then, `noAudio`.
    pub silence_timeout_s: u64,
    pub finish_on_key: Option<char>,
    pub play_beep: bool,
    pub transcribe: bool,
    /// Where Twilio would send the transcription (Studio does not wait for it).
    pub transcription_callback_url: Option<String>,
    pub deadline_ms: u64,
}

/// A recording made by Record Voicemail: the text stands in for the audio (and for a
/// transcription, which Studio itself never puts in Flow Data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recording {
    pub transcript: String,
    /// Seconds; `None`: estimated from the text (0.4 s a word, at least 1 s).
    pub duration_s: Option<u64>,
    pub ended_by: RecordingEnd,
}

/// How a recording ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordingEnd {
    /// The caller stopped talking (`recordingComplete`).
    Silence,
    /// The caller pressed this key (`recordingComplete`, `Digits` is the key).
    Key(char),
    /// The recording reached `max_length` (`recordingComplete`).
    MaxLength,
    /// The caller hung up after speaking (`hangup`, with the recording).
    Hangup,
}

/// What kind of outside system a widget hands over to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalKind {
    /// Connect Call To: another party is dialled and bridged.
    ConnectCall,
    /// Make Outgoing Call: the contact is called.
    OutgoingCall,
    /// Enqueue Call: the call waits in a queue or a TaskRouter task.
    Enqueue,
    /// Send to Flex: a Flex task (the call is enqueued; a message or conversation is handed over).
    Flex,
    /// Capture Payments: a payment connector takes the card.
    Payment,
    /// Send to Autopilot: an Autopilot assistant handles the message.
    Autopilot,
    /// TwiML Redirect: TwiML elsewhere takes over and may give control back.
    TwimlRedirect,
    /// Call Recording: recording is switched on or off.
    CallRecording,
    /// Connect Virtual Agent: a Dialogflow CX agent takes over.
    VirtualAgent,
}

/// One way an outside system can answer: a widget event and the variables it sets (defaults
/// that the shell may change).
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalEvent {
    /// The event (`callCompleted`).
    pub event: String,
    /// Studio's port label (`Connected Call Ended`).
    pub label: String,
    /// `widgets.NAME.<key>` the event sets, with simulated values.
    pub variables: Vec<(String, Value)>,
}

/// A widget that waits for the outside world: the shell shows what it does and answers with one
/// of `events` through `Engine::handle_external`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalRequest {
    pub id: WaitId,
    pub widget: String,
    pub widget_type: String,
    pub kind: ExternalKind,
    /// Who or what is reached (a number, a queue, a workflow, a URL, a connector…).
    pub target: String,
    /// What the widget does, in a sentence.
    pub summary: String,
    /// The rendered inputs.
    pub details: Vec<(String, String)>,
    /// The events this wait can end with, in the widget's order.
    pub events: Vec<ExternalEvent>,
    /// When the engine ends the wait itself (`timeout_event`), if ever.
    pub deadline_ms: Option<u64>,
    /// The event the deadline leads to.
    pub timeout_event: Option<String>,
}

impl ExternalRequest {
    /// The event called `name`, if the wait can end with it.
    pub fn event(&self, name: &str) -> Option<&ExternalEvent> {
        self.events.iter().find(|e| e.event == name)
    }
}

/// The outside world's answer: one of the request's events, and the variables to change or add
/// (the rest keep the event's defaults).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExternalOutcome {
    pub event: String,
    pub variables: Vec<(String, Value)>,
}

impl ExternalOutcome {
    /// The event with its default variables.
    pub fn event(event: &str) -> ExternalOutcome {
        ExternalOutcome {
            event: event.to_owned(),
            variables: Vec::new(),
        }
    }

    /// Sets one variable (builder style).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> ExternalOutcome {
        self.variables.push((key.to_owned(), value.into()));
        self
    }
}
