//! The conversation of an execution: its bubbles, and how the engine's effects and the inputs
//! the user gave become bubbles. The same functions build the chat live and when a rewound
//! execution is rebuilt from its recorded inputs, so both show the same thing.

use super::by_id::ById;

use flowpen_engine::{
    Audio, AudioKind, Effect, EndReason, GatherRequest, HttpRequest, Input, RecordRequest,
};

/// One line of the chat.
#[derive(Clone, Debug, PartialEq)]
pub enum Bubble {
    /// The contact wrote this. `note` says why the flow did not get it, if it did not.
    Contact {
        text: String,
        at_ms: u64,
        note: Option<String>,
    },
    /// The flow sent this (Send Message, Send & Wait For Reply).
    Flow {
        widget: String,
        text: String,
        /// The media URL, when the widget has one (empty ones are left out).
        media: Option<String>,
        at_ms: u64,
        /// The message failed (the user asked it to).
        failed: bool,
    },
    /// The flow speaks on the call (Say/Play's `say`, or a Gather's spoken prompt).
    Say {
        widget: String,
        text: String,
        voice: Option<String>,
        language: Option<String>,
        loops: u32,
        at_ms: u64,
    },
    /// The flow plays an audio file on the call (the page never starts it by itself).
    Play {
        widget: String,
        url: String,
        loops: u32,
        at_ms: u64,
    },
    /// The flow sends DTMF tones on the call.
    Tones {
        widget: String,
        digits: String,
        at_ms: u64,
    },
    /// The caller did this on the call (keys, speech, a recording, hanging up). `note` says why
    /// the flow did not take it, if it did not.
    Caller {
        input: CallerInput,
        at_ms: u64,
        note: Option<String>,
    },
    /// A line about the execution (started, ended and why; what a widget hands to the outside
    /// world).
    Event { text: String, tone: Tone },
}

/// What the caller did on the call.
#[derive(Clone, Debug, PartialEq)]
pub enum CallerInput {
    /// Pressed these keys.
    Keys(String),
    /// Said this (speech recognition's text and confidence).
    Speech { text: String, confidence: f64 },
    /// Left a recording (the text stands in for the audio).
    Recording(String),
    /// Hung up.
    HangUp,
    /// The outside world answered a waiting widget with this event.
    Outcome { widget: String, event: String },
}

/// How an event line looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Ended,
    Problem,
}

/// What the chat remembers between effects: the last Gather and Record requests (their settings,
/// for the controls), which bubble each message is, and which widget each outside wait is.
#[derive(Clone, Debug, Default)]
pub(super) struct ChatState {
    pub(super) gather: Option<GatherRequest>,
    pub(super) record: Option<RecordRequest>,
    /// Message id → index of its bubble.
    pub(super) sent: ById<usize>,
    /// Outside wait id → its widget.
    pub(super) externals: ById<String>,
}

/// Shows one effect of execution `id` in the chat at `now`. An HTTP request is given back: the
/// caller decides whether to perform it (live) or not (a replayed one has its answer recorded).
pub(super) fn show(
    chat: &mut Vec<Bubble>,
    state: &mut ChatState,
    id: u32,
    effect: Effect,
    now: u64,
) -> Option<HttpRequest> {
    match effect {
        Effect::Send(m) => {
            let media = m.media_url.filter(|u| !u.trim().is_empty());
            chat.push(Bubble::Flow {
                widget: m.widget,
                text: m.body,
                media,
                at_ms: now,
                failed: false,
            });
            state.sent.insert(m.id.0, chat.len() - 1);
        }
        Effect::WaitForReply { .. } => {}
        Effect::Http(request) => return Some(request),
        Effect::SayPlay { widget, audio, .. } => voice(chat, widget, &audio, now),
        Effect::Gather(g) => {
            if let Some(prompt) = &g.prompt {
                voice(chat, g.widget.clone(), prompt, now);
            }
            state.gather = Some(g);
        }
        Effect::Record(r) => {
            let beep = if r.play_beep { " after the beep" } else { "" };
            chat.push(Bubble::Event {
                text: format!(
                    "{} records a voicemail{beep} (up to {} s)",
                    r.widget, r.max_length_s
                ),
                tone: Tone::Info,
            });
            state.record = Some(r);
        }
        Effect::External(x) => {
            chat.push(Bubble::Event {
                text: format!("{}: {}", x.widget, x.summary),
                tone: Tone::Info,
            });
            state.externals.insert(x.id.0, x.widget);
        }
        Effect::Ended(reason) => {
            let tone = if reason.is_normal() {
                Tone::Ended
            } else {
                Tone::Problem
            };
            chat.push(Bubble::Event {
                text: format!("Execution #{id} {}", end_sentence(&reason)),
                tone,
            });
        }
    }
    None
}

/// Marks the bubble of message `id` as failed.
pub(super) fn mark_failed(chat: &mut [Bubble], state: &ChatState, id: u32) {
    if let Some(Bubble::Flow { failed, .. }) = state.sent.get(&id).and_then(|&i| chat.get_mut(i)) {
        *failed = true;
    }
}

/// The bubble of an input the user gave (the contact's message, the caller's keys, speech,
/// recording or hang-up, an outside world's answer), as the live chat shows it when the flow
/// takes it; `None` for the inputs the simulator gives itself.
pub(super) fn input_bubble(input: &Input, at_ms: u64, state: &ChatState) -> Option<Bubble> {
    let caller = |input| {
        Some(Bubble::Caller {
            input,
            at_ms,
            note: None,
        })
    };
    match input {
        Input::Message(m) => Some(Bubble::Contact {
            text: m.body.clone(),
            at_ms,
            note: None,
        }),
        Input::Digits(keys) => caller(CallerInput::Keys(keys.clone())),
        Input::Speech { text, confidence } => caller(CallerInput::Speech {
            text: text.clone(),
            confidence: *confidence,
        }),
        Input::Recording(r) => caller(CallerInput::Recording(r.transcript.clone())),
        Input::HangUp => caller(CallerInput::HangUp),
        Input::External { wait, outcome } => caller(CallerInput::Outcome {
            widget: state.externals.get(&wait.0).cloned().unwrap_or_default(),
            event: outcome.event.clone(),
        }),
        _ => None,
    }
}

/// The flow's audio as a bubble.
fn voice(chat: &mut Vec<Bubble>, widget: String, audio: &Audio, now: u64) {
    let loops = audio.loops;
    chat.push(match &audio.kind {
        AudioKind::Say {
            text,
            voice,
            language,
        } => Bubble::Say {
            widget,
            text: text.clone(),
            voice: voice.clone(),
            language: language.clone(),
            loops,
            at_ms: now,
        },
        AudioKind::Play { url } => Bubble::Play {
            widget,
            url: url.clone(),
            loops,
            at_ms: now,
        },
        AudioKind::Digits { digits } => Bubble::Tones {
            widget,
            digits: digits.clone(),
            at_ms: now,
        },
    });
}

/// "ended: …" as a sentence about the execution.
fn end_sentence(reason: &EndReason) -> String {
    match reason {
        EndReason::NoNext { widget, event } => {
            format!("ended: {widget} has no next widget for \"{event}\".")
        }
        EndReason::Stopped => "was stopped.".to_owned(),
        other => format!("ended. {}", capitalize(&other.to_string())),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
