//! No input panics the engine: every corpus flow, started every way, driven by thousands of random
//! replies, responses, failures and timer firings (deterministic), ends within Studio's limits.

use flowpen_engine::{
    Config, Effect, Engine, HttpResponse, InboundMessage, Status, TransportError,
    TransportErrorKind, Trigger,
};
use flowpen_flow::Flow;
use flowpen_testkit::corpus;
use serde_json::json;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
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
    "{\"number\": 4, \"sites\": [{\"name\": \"a\"}], \"count\": 2}",
    "[1,2,3]",
    "not json",
    "{\"nested\": {\"deep\": [1, {\"x\": null}]}}",
    "",
];

fn drive(flow: &Flow, trigger: Trigger, rng: &mut Rng) -> Engine {
    let config = Config::default();
    let mut now = 1_000_000u64;
    let mut engine = Engine::start(flow.clone(), trigger, config.clone(), now);
    for _ in 0..200 {
        while engine.poll_effect().is_some() {}
        now += rng.below(5_000);
        match engine.status() {
            Status::Ended(_) => break,
            Status::Running => panic!("the engine never rests in Running between inputs"),
            Status::WaitingForSend { message, .. } => {
                if rng.below(8) == 0 {
                    engine.handle_send_failure(message, "failed", now).unwrap();
                } else {
                    engine.handle_sent(message, now).unwrap();
                }
            }
            Status::WaitingForReply { deadline_ms, .. } => match rng.below(10) {
                0 => engine.handle_timeout(deadline_ms),
                1 => engine.handle_timeout(now),
                _ => {
                    let body = REPLIES[rng.below(REPLIES.len() as u64) as usize].to_owned();
                    let msg = InboundMessage {
                        from: "+1".into(),
                        to: "+2".into(),
                        body,
                        media_urls: vec![],
                    };
                    engine.handle_message(msg, now).unwrap();
                }
            },
            Status::WaitingForHttp {
                request,
                deadline_ms,
                ..
            } => match rng.below(6) {
                0 => engine.handle_timeout(deadline_ms),
                1 => {
                    let e = TransportError {
                        kind: TransportErrorKind::Network,
                        message: "x".into(),
                    };
                    engine.handle_http_response(request, Err(e), now).unwrap();
                }
                _ => {
                    let status = [200, 201, 204, 302, 400, 404, 500][rng.below(7) as usize];
                    let body = BODIES[rng.below(BODIES.len() as u64) as usize].to_owned();
                    let headers = vec![("content-type".into(), "application/json".into())];
                    engine
                        .handle_http_response(
                            request,
                            Ok(HttpResponse {
                                status,
                                headers,
                                body,
                            }),
                            now,
                        )
                        .unwrap();
                }
            },
        }
    }
    engine
}

#[test]
fn random_executions_of_every_corpus_flow_stay_within_limits() {
    let Some(files) = corpus("random_executions_of_every_corpus_flow_stay_within_limits") else {
        return;
    };
    let mut rng = Rng(0x00C0_FFEE);
    let mut ended = 0;
    let mut runs = 0;
    for (name, text) in &files {
        let flow = Flow::parse(text).unwrap();
        for round in 0..30 {
            let trigger = match round % 3 {
                0 => Trigger::Message(InboundMessage {
                    from: "+1".into(),
                    to: "+2".into(),
                    body: "hi".into(),
                    media_urls: vec![],
                }),
                1 => Trigger::Rest {
                    from: "+2".into(),
                    to: "+1".into(),
                    parameters: json!({"a": 1, "b": [1, 2]}),
                },
                _ => Trigger::Call {
                    from: "+1".into(),
                    to: "+2".into(),
                },
            };
            let engine = drive(&flow, trigger, &mut rng);
            runs += 1;
            let steps = engine.steps();
            assert!(steps.len() <= 1000, "{name}: {} steps", steps.len());
            for (i, s) in steps.iter().enumerate() {
                assert_eq!(s.index, i);
                // Replaying the changes gives the Flow Data.
                if i + 1 == steps.len() {
                    assert_eq!(&engine.context_after(i), engine.flow_data(), "{name}");
                }
            }
            let counts = steps
                .iter()
                .fold(std::collections::HashMap::new(), |mut m, s| {
                    *m.entry(s.widget.as_str()).or_insert(0) += 1;
                    m
                });
            assert!(
                counts.values().all(|&n| n <= 10),
                "{name}: a widget ran more than 10 times"
            );
            for s in engine.steps() {
                assert_eq!(s.to_json()["widget"], json!(s.widget));
            }
            if matches!(engine.status(), Status::Ended(_)) {
                ended += 1;
                let mut e = engine;
                assert!(matches!(e.poll_effect(), None | Some(Effect::Ended(_))));
            }
        }
    }
    assert!(
        ended > runs / 2,
        "most random executions end ({ended} of {runs})"
    );
}
