//! *Save as test*: a simulator execution becomes a case that passes. The conversation comes from
//! the execution's log (each message the flow sent, exactly; each reply; each timeout), the HTTP
//! responses it got become stubs (one list per URL, in order; a request that timed out is a
//! stub that answers too late), and `expect` records how it stands (`status` and `path`).
//!
//! The execution's start time is kept (`time:`), so Liquid's `now` renders as it did; time between
//! the contact's messages is not (they replay at once). [`record_checked`] replays the recorded
//! case on the runner and returns the first difference, if any (a flow that renders the time
//! of a reply, say), so the shell can tell the user.
//!
//! Calls are recorded too (Say/Play, a Gather's keys, speech and timeout, hanging up); widgets
//! whose input the log does not keep (Record Voicemail's recording, an outside-world answer) are
//! left out, and the check then reports where the replay differs.

use flowpen_engine::{EndReason, Engine, Status, Step, StepDetail, TransportErrorKind, Trigger};
use serde_json::{Map, Value};

use super::error::Failure;
use super::matcher::{Glob, TextMatch};
use super::model::{
    Action, Case, EndKind, Expect, ExpectStatus, Expected, FlowExpect, Place, Start, Stub,
    StubResponse, Stubs, TestFile,
};
use super::run::{path_of, RunOptions, Runner, ShellAnswer};
use super::target::Target;
use crate::simulator::{Bubble, Execution, CONTACT, FLOW_ADDRESS};

fn exact(text: &str) -> TextMatch {
    TextMatch::Glob(Glob::literal(text))
}

fn input<'a>(step: &'a Step, key: &str) -> Option<&'a str> {
    step.inputs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// What a step set under `widgets.NAME`.
fn widget_value<'a>(step: &'a Step, key: &str) -> Option<&'a Value> {
    step.changes
        .iter()
        .find(|c| c.path.len() == 2 && c.path[0] == "widgets")
        .and_then(|c| c.value.get(key))
}

fn step(action: Action) -> super::model::Step {
    super::model::Step {
        at: Place::default(),
        action,
    }
}

fn flow(what: Expected, media: Option<&str>, fail: bool) -> super::model::Step {
    step(Action::Flow(FlowExpect {
        what,
        media: media.filter(|m| !m.trim().is_empty()).map(exact),
        widget: None,
        fail,
    }))
}

/// The audio a Say/Play or a Gather rendered (its inputs `say`, `play`, `digits`).
fn audio(step: &Step) -> Option<Expected> {
    if let Some(t) = input(step, "say") {
        Some(Expected::Say(exact(t)))
    } else if let Some(u) = input(step, "play") {
        Some(Expected::Play(exact(u)))
    } else {
        input(step, "digits").map(|d| Expected::Digits(exact(d)))
    }
}

/// The case an engine's execution makes (see the module docs).
pub fn record_engine(engine: &Engine, name: &str, started_ms: u64, chat: &[Bubble]) -> Case {
    let mut case = Case {
        name: name.to_owned(),
        time_ms: Some(started_ms),
        ..Case::default()
    };
    let not = |value: &str, default: &str| (value != default).then(|| value.to_owned());
    match engine.trigger() {
        Trigger::Message(m) | Trigger::Conversation(m) => {
            case.start = if matches!(engine.trigger(), Trigger::Message(_)) {
                Start::Message
            } else {
                Start::Conversation
            };
            case.from = not(&m.from, CONTACT);
            case.to = not(&m.to, FLOW_ADDRESS);
            case.conversation.push(step(Action::Contact {
                text: m.body.clone(),
                media: m.media_urls.clone(),
            }));
        }
        Trigger::Rest {
            from,
            to,
            parameters,
        } => {
            case.start = Start::Rest;
            case.from = not(from, FLOW_ADDRESS);
            case.to = not(to, CONTACT);
            if parameters.as_object().is_some_and(|o| !o.is_empty()) {
                case.parameters = Some(parameters.clone());
            }
        }
        Trigger::Call(c) => {
            case.start = Start::Call;
            case.from = not(&c.from, CONTACT);
            case.to = not(&c.to, FLOW_ADDRESS);
            if !c.parameters.is_empty() {
                let o: Map<String, Value> = c
                    .parameters
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                case.parameters = Some(Value::Object(o));
            }
        }
        Trigger::Subflow(s) => {
            case.start = Start::Subflow;
            case.from = not(&s.contact, CONTACT);
            case.to = not(&s.flow_address, FLOW_ADDRESS);
            if s.parameters.as_object().is_some_and(|o| !o.is_empty()) {
                case.parameters = Some(s.parameters.clone());
            }
        }
    }
    let mut stubs: Vec<Stub> = Vec::new();
    for s in engine.steps() {
        match s.widget_type.as_str() {
            "send-message" => case.conversation.push(flow(
                Expected::Message(exact(input(s, "body").unwrap_or_default())),
                input(s, "media_url"),
                s.event.as_deref() == Some("failed"),
            )),
            "send-and-wait-for-reply" => {
                case.conversation.push(flow(
                    Expected::Message(exact(input(s, "body").unwrap_or_default())),
                    input(s, "media_url"),
                    s.event.as_deref() == Some("deliveryFailure"),
                ));
                match s.event.as_deref() {
                    Some("incomingMessage") => {
                        let inbound = widget_value(s, "inbound");
                        let text = inbound
                            .and_then(|i| i.get("Body"))
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let media = (0..10)
                            .filter_map(|n| {
                                inbound
                                    .and_then(|i| i.get(format!("MediaUrl{n}")))
                                    .and_then(Value::as_str)
                                    .map(str::to_owned)
                            })
                            .collect();
                        case.conversation.push(step(Action::Contact {
                            text: text.to_owned(),
                            media,
                        }));
                    }
                    Some("timeout") => case.conversation.push(step(Action::Timeout)),
                    _ => {}
                }
            }
            "say-play" => {
                if let Some(what) = audio(s) {
                    case.conversation.push(flow(what, None, false));
                }
            }
            "gather-input-on-call" => {
                if let Some(what) = audio(s) {
                    case.conversation.push(flow(what, None, false));
                }
                match s.event.as_deref() {
                    Some("keypress") => {
                        let digits = widget_value(s, "Digits")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let finished = widget_value(s, "FinishedOnKey")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let keys = format!("{digits}{finished}");
                        if !keys.is_empty() {
                            case.conversation.push(step(Action::Press { keys }));
                        }
                        if s.outcome.contains("submitted after") {
                            case.conversation.push(step(Action::Timeout));
                        }
                    }
                    Some("speech") => {
                        let text = widget_value(s, "SpeechResult")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        let confidence = widget_value(s, "Confidence")
                            .and_then(|c| {
                                c.as_f64()
                                    .or_else(|| c.as_str().and_then(|t| t.parse().ok()))
                            })
                            .unwrap_or(0.9);
                        case.conversation.push(step(Action::Speech {
                            text: text.to_owned(),
                            confidence,
                        }));
                    }
                    Some("timeout") => case.conversation.push(step(Action::Timeout)),
                    _ => {}
                }
            }
            _ => {}
        }
        if s.outcome == "the caller hung up" {
            case.conversation.push(step(Action::Hangup));
        }
        if let StepDetail::Http { request, response } = &s.detail {
            let r = match response {
                Ok(r) => StubResponse {
                    status: r.status,
                    headers: r.headers.clone(),
                    body: r.body.clone(),
                    ..StubResponse::default()
                },
                Err(e) if e.kind == TransportErrorKind::Timeout => StubResponse {
                    delay_ms: request.timeout_ms.saturating_add(1000),
                    ..StubResponse::default()
                },
                Err(e) => StubResponse {
                    error: Some(e.message.clone()),
                    ..StubResponse::default()
                },
            };
            match stubs.iter_mut().find(|st| st.url == request.url) {
                Some(st) => st.responses.push(r),
                None => stubs.push(Stub {
                    url: request.url.clone(),
                    at: Place::default(),
                    responses: vec![r],
                }),
            }
        }
    }
    for st in &mut stubs {
        // The same answer every time is one response (the last one repeats).
        if st.responses.windows(2).all(|w| w[0] == w[1]) {
            st.responses.truncate(1);
        }
    }
    case.stubs = Stubs { entries: stubs };
    // The message a Send & Wait For Reply is waiting with is not in the log yet: the chat has it.
    if let Status::WaitingForReply { widget, .. } = engine.status() {
        let last = chat.iter().rev().find_map(|b| match b {
            Bubble::Flow {
                widget: w,
                text,
                media,
                failed,
                ..
            } if *w == widget => Some((text, media, *failed)),
            _ => None,
        });
        if let Some((text, media, failed)) = last {
            case.conversation.push(flow(
                Expected::Message(exact(text)),
                media.as_deref(),
                failed,
            ));
        }
    }
    case.expect = Expect {
        status: match engine.end_reason() {
            None => ExpectStatus::Waiting,
            Some(r) if r.is_normal() => ExpectStatus::Ended,
            Some(r) => ExpectStatus::Kind(end_kind(r)),
        },
        path: Some((Place::default(), path_of(engine))),
        ..Expect::default()
    };
    case
}

fn end_kind(r: &EndReason) -> EndKind {
    match r {
        EndReason::NoNext { .. } => EndKind::NoNext,
        EndReason::CallEnded { .. } => EndKind::CallEnded,
        EndReason::MissingWidget { .. } => EndKind::MissingWidget,
        EndReason::RunLimit { .. } => EndKind::RunLimit,
        EndReason::StepLimit { .. } => EndKind::StepLimit,
        EndReason::Unsupported { .. } => EndKind::Unsupported,
        EndReason::Error { .. } | EndReason::Stopped => EndKind::Error,
        EndReason::NoCall { .. } => EndKind::NoCall,
    }
}

/// *Save as test* for a simulator execution.
pub fn record(execution: &Execution, name: &str) -> Case {
    record_engine(
        execution.engine(),
        name,
        execution.started_ms,
        &execution.chat,
    )
}

/// [`record`], then replays the case against `target` (every request answered by the recorded
/// stubs): `None` when it passes, else the first difference. A stopped execution cannot pass
/// (nothing in a test stops an execution), nor can one that waited for a response when saved.
pub fn record_checked(
    execution: &Execution,
    name: &str,
    target: &Target,
) -> (Case, Option<Failure>) {
    let case = record(execution, name);
    let runner = Runner::new(target, &TestFile::default(), RunOptions::default());
    let result = runner.run(0, &case, &mut |_| {
        ShellAnswer::Fail("the recorded conversation has no response for this request".into())
    });
    (case, result.failure)
}
