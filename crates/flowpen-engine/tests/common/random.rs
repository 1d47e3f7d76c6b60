//! The random driver of the robustness and replay tests: one random input for whatever the
//! engine waits for, given as data (`Engine::handle`) and recorded when taken.

use std::rc::Rc;

pub use flowpen_engine::replay::give;
use flowpen_engine::{
    Breakpoint, Engine, ExternalOutcome, HttpResponse, InboundCall, InboundMessage, Input,
    Recording, RecordingEnd, SortedSet, Status, SubflowStart, Subflows, TransportError,
    TransportErrorKind, Trigger,
};
use flowpen_flow::{Flow, WidgetType};
use serde_json::json;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const REPLIES: &[&str] = &[
    "1",
    "2",
    "yes",
    "NO",
    "",
    "  ",
    "{{widgets.x}}",
    "{% if %}",
    "42",
    "é😀",
    "1,2",
    "Y",
];
const BODIES: &[&str] = &[
    "{}",
    "{\"number\": 4, \"sites\": [{\"name\": \"a\"}], \"count\": 2, \"end\": \"true\"}",
    "[1,2,3]",
    "not json",
    "{\"nested\": {\"deep\": [1, {\"x\": null}]}}",
    "",
];
const KEYS: &[&str] = &["1", "2", "3", "1#", "#", "12", "9*", "0", "1234#"];
const SPEECH: &[&str] = &["taxi", "payment", "yes", "sales", "support", "hello there"];

pub fn message(body: &str) -> InboundMessage {
    InboundMessage {
        from: "+1".into(),
        to: "+2".into(),
        body: body.into(),
        media_urls: vec![],
    }
}

/// The trigger for a Trigger event, as the tests start it.
pub fn trigger_for(event: &str) -> Trigger {
    match event {
        "incomingMessage" => Trigger::Message(message("hi")),
        "incomingRequest" => Trigger::Rest {
            from: "+2".into(),
            to: "+1".into(),
            parameters: json!({"a": 1, "b": [1, 2]}),
        },
        "incomingCall" => Trigger::Call(InboundCall {
            from: "+1".into(),
            to: "+2".into(),
            parameters: vec![("HandoffData".into(), "{\"conversationId\": 1}".into())],
        }),
        "incomingConversationMessage" => Trigger::Conversation(message("hello")),
        "incomingParent" => Trigger::Subflow(SubflowStart {
            contact: "+1".into(),
            flow_address: "+2".into(),
            parameters: json!({"name": "Ada"}),
            parent_trigger: json!({"message": {"Body": "hi"}}),
        }),
        other => panic!("no trigger for {other}"),
    }
}

/// Every corpus flow that a Trigger starts as a subflow, under every `flow_sid` a corpus Run
/// Subflow widget names (the corpus has one such pair: #16 runs #15).
pub fn project(files: &[(String, String)]) -> Subflows {
    let flows: Vec<Flow> = files.iter().map(|(_, t)| Flow::parse(t).unwrap()).collect();
    let sids: Vec<String> = flows
        .iter()
        .flat_map(|f| f.states.iter())
        .filter(|s| s.kind == WidgetType::RunSubflow)
        .filter_map(|s| s.prop_str("flow_sid").map(str::to_owned))
        .collect();
    let mut subflows = Subflows::new();
    for f in &flows {
        if connected(f).contains(&"incomingParent".to_owned()) {
            let f = Rc::new(f.clone());
            for sid in &sids {
                subflows.insert(sid.clone(), Rc::clone(&f));
            }
        }
    }
    subflows
}

/// The Trigger events that lead somewhere.
pub fn connected(flow: &Flow) -> Vec<String> {
    flow.states
        .iter()
        .find(|s| s.kind == WidgetType::Trigger)
        .map(|t| {
            t.transitions
                .iter()
                .filter(|t| t.next.is_some())
                .map(|t| t.event.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Random breakpoints on the widgets of `flow` (about one in `one_in`).
pub fn breakpoints(flow: &Flow, rng: &mut Rng, one_in: u64) -> SortedSet<Breakpoint> {
    flow.states
        .iter()
        .filter(|_| rng.below(one_in) == 0)
        .map(|s| Breakpoint::at(&s.name))
        .collect()
}

/// One random input for what the engine waits for (`None`: it has ended). The effects of the
/// previous input are drained into `effects`; taken inputs are recorded in `log`.
pub fn step(
    engine: &mut Engine,
    rng: &mut Rng,
    now: &mut u64,
    log: &mut Vec<(Input, u64)>,
) -> Option<()> {
    while engine.poll_effect().is_some() {}
    *now += rng.below(5_000);
    let now = *now;
    if engine.end_reason().is_some() {
        return None;
    }
    let hang_up = rng.below(25) == 0;
    if hang_up && engine.call().is_some_and(|c| c.live) {
        give(engine, log, Input::HangUp, now).unwrap();
        return Some(());
    }
    let status = engine.status();
    match status {
        Status::Ended(_) => return None,
        Status::Running => panic!("the engine never rests in Running between inputs"),
        Status::WaitingForSend { message, .. } => {
            let input = if rng.below(8) == 0 {
                Input::SendFailure {
                    message,
                    error: "failed".into(),
                }
            } else {
                Input::Sent(message)
            };
            give(engine, log, input, now).unwrap();
        }
        Status::WaitingForReply { deadline_ms, .. } => match rng.below(10) {
            0 => give(engine, log, Input::Timeout, deadline_ms).unwrap(),
            // Not due yet: refused, and nothing happens.
            1 => {
                let _ = give(engine, log, Input::Timeout, now);
            }
            _ => give(engine, log, Input::Message(message(rng.pick(REPLIES))), now).unwrap(),
        },
        Status::WaitingForHttp {
            request,
            deadline_ms,
            ..
        } => match rng.below(6) {
            0 => give(engine, log, Input::Timeout, deadline_ms).unwrap(),
            1 => {
                let e = TransportError {
                    kind: TransportErrorKind::Network,
                    message: "x".into(),
                };
                let input = Input::Http {
                    request,
                    response: Err(e),
                };
                give(engine, log, input, now).unwrap();
            }
            _ => {
                let status = [200, 201, 204, 302, 400, 404, 500][rng.below(7) as usize];
                let response = HttpResponse {
                    status,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: rng.pick(BODIES).to_owned(),
                };
                let input = Input::Http {
                    request,
                    response: Ok(response),
                };
                give(engine, log, input, now).unwrap();
            }
        },
        Status::Playing { audio, .. } => {
            give(engine, log, Input::AudioComplete(audio), now).unwrap()
        }
        Status::Gathering { deadline_ms, .. } => match rng.below(6) {
            0 => give(engine, log, Input::Timeout, deadline_ms).unwrap(),
            1 | 2 => {
                let speech = Input::Speech {
                    text: rng.pick(SPEECH).to_owned(),
                    confidence: 0.8,
                };
                // Refused when the Gather does not listen for speech.
                if give(engine, log, speech, now).is_err() {
                    give(engine, log, Input::Timeout, deadline_ms).unwrap();
                }
            }
            _ => give(engine, log, Input::Digits(rng.pick(KEYS).to_owned()), now).unwrap(),
        },
        Status::Recording { deadline_ms, .. } => match rng.below(4) {
            0 => give(engine, log, Input::Timeout, deadline_ms).unwrap(),
            _ => {
                let ended_by = if rng.below(4) == 0 {
                    RecordingEnd::Hangup
                } else {
                    RecordingEnd::Silence
                };
                let recording = Recording {
                    transcript: rng.pick(REPLIES).to_owned(),
                    duration_s: None,
                    ended_by,
                };
                give(engine, log, Input::Recording(recording), now).unwrap();
            }
        },
        Status::WaitingForExternal {
            id, deadline_ms, ..
        } => {
            let events: Vec<String> = engine
                .pending_external()
                .expect("an outside wait")
                .events
                .iter()
                .map(|e| e.event.clone())
                .collect();
            match deadline_ms {
                Some(d) if rng.below(5) == 0 => give(engine, log, Input::Timeout, d).unwrap(),
                _ => {
                    let event = &events[rng.below(events.len() as u64) as usize];
                    let input = Input::External {
                        wait: id,
                        outcome: ExternalOutcome::event(event),
                    };
                    give(engine, log, input, now).unwrap();
                }
            }
        }
        Status::Paused { .. } => {
            let input = match rng.below(6) {
                0 | 1 => Input::Continue,
                2 | 3 => Input::Step,
                4 => {
                    let mut data = engine.flow_data().clone();
                    data["flow"]["variables"]["edited"] = json!(rng.below(100));
                    Input::SetFlowData(data)
                }
                _ => Input::Breakpoints(SortedSet::new()),
            };
            give(engine, log, input, now).unwrap();
        }
    }
    Some(())
}
