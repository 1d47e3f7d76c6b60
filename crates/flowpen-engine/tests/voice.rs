//! Say/Play, Gather Input On Call and Record Voicemail: their events, their variables, and what the
//! caller hanging up does to each.

mod common;

use common::{call, effects, ended, flow, last, message, start, var, T0};
use flowpen_engine::{
    AudioKind, Effect, EndReason, InputError, Recording, RecordingEnd, Status, Trigger,
};
use serde_json::json;

fn say_flow() -> flowpen_flow::Flow {
    flow(
        "incomingCall",
        &[
            (
                "hello",
                "say-play",
                json!({"audioComplete": "tones"}),
                json!({"say": "Hi {{trigger.call.From}}", "voice": "Polly.Amy", "language": "en-GB", "loop": 2}),
            ),
            (
                "tones",
                "say-play",
                json!({"audioComplete": "music"}),
                json!({"digits": "12w#"}),
            ),
            (
                "music",
                "say-play",
                json!({"audioComplete": null}),
                json!({"say": "", "play": "https://example.com/a.mp3"}),
            ),
        ],
    )
}

#[test]
fn say_play_says_plays_and_sends_digits_and_waits_for_each() {
    let mut e = start(say_flow(), call());
    let Status::Playing { widget, audio } = e.status() else {
        panic!("{:?}", e.status())
    };
    assert_eq!(widget, "hello");
    let fx = effects(&mut e);
    let Some(Effect::SayPlay { id, audio: a, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(*id, audio);
    assert_eq!(
        a.kind,
        AudioKind::Say {
            text: "Hi +15551230000".into(),
            voice: Some("Polly.Amy".into()),
            language: Some("en-GB".into())
        }
    );
    assert_eq!(a.loops, 2);
    assert_eq!(a.to_string(), "say: Hi +15551230000 (Polly.Amy, en-GB) ×2");
    // A stale id is refused; the right one goes on.
    assert_eq!(
        e.handle_audio_complete(flowpen_engine::WaitId(99), T0),
        Err(InputError::UnknownId)
    );
    e.handle_audio_complete(audio, T0 + 3000).unwrap();
    assert_eq!(var(&e, "hello", "voice"), json!("Polly.Amy"));
    assert_eq!(var(&e, "hello", "language"), json!("en-GB"));
    assert_eq!(
        last(&e),
        (
            Some("audioComplete".into()),
            "said \"Hi +15551230000\"".into()
        )
    );
    let Some(Effect::SayPlay { audio: a, id, .. }) = effects(&mut e).into_iter().next() else {
        panic!()
    };
    assert_eq!(
        a.kind,
        AudioKind::Digits {
            digits: "12w#".into()
        }
    );
    e.handle_audio_complete(id, T0 + 4000).unwrap();
    let Some(Effect::SayPlay { audio: a, id, .. }) = effects(&mut e).into_iter().next() else {
        panic!()
    };
    // An empty `say` gives way to `play`.
    assert_eq!(
        a.kind,
        AudioKind::Play {
            url: "https://example.com/a.mp3".into()
        }
    );
    e.handle_audio_complete(id, T0 + 5000).unwrap();
    assert_eq!(last(&e).1, "played https://example.com/a.mp3");
    assert!(e.end_reason().is_some_and(|r| r.is_normal()));
    assert!(
        e.flow_data()["widgets"].get("music").is_none(),
        "no voice, no language"
    );
}

#[test]
fn hanging_up_during_say_play_ends_the_execution_and_logs_the_step() {
    let mut e = start(say_flow(), call());
    e.handle_hangup(T0 + 1000).unwrap();
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::CallEnded {
            widget: "hello".into()
        })
    );
    assert!(e.end_reason().unwrap().is_normal());
    assert_eq!(last(&e), (None, "the caller hung up".into()));
    assert!(!e.call().expect("a call").live);
    assert_eq!(e.handle_hangup(T0 + 2000), Err(InputError::NotWaiting));
}

#[test]
fn a_voice_widget_without_a_call_is_an_error_in_the_flow() {
    let f = flow(
        "incomingMessage",
        &[(
            "hello",
            "say-play",
            json!({"audioComplete": null}),
            json!({"say": "hi"}),
        )],
    );
    let mut e = start(f, message("hi"));
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::NoCall {
            widget: "hello".into(),
            widget_type: "Say/Play".into()
        })
    );
    assert!(!e.end_reason().unwrap().is_normal());
    assert_eq!(e.handle_hangup(T0), Err(InputError::NotWaiting));
    assert!(e.call().is_none());
    assert!(matches!(effects(&mut e).as_slice(), [Effect::Ended(_)]));
}

fn gather(props: serde_json::Value, speech: bool) -> flowpen_flow::Flow {
    flow(
        "incomingCall",
        &[
            (
                "menu",
                "gather-input-on-call",
                json!({"keypress": "done", "speech": if speech { json!("done") } else { json!(null) }, "timeout": "done"}),
                props,
            ),
            (
                "done",
                "set-variables",
                json!({"next": null}),
                json!({"variables": []}),
            ),
        ],
    )
}

#[test]
fn gather_submits_at_the_finish_key_without_it() {
    let mut e = start(
        gather(
            json!({"say": "Press", "finish_on_key": "#", "timeout": 5}),
            false,
        ),
        call(),
    );
    let fx = effects(&mut e);
    let Some(Effect::Gather(g)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(g.finish_on_key, Some('#'));
    assert_eq!(g.deadline_ms, T0 + 5000);
    assert!(
        g.speech.is_none(),
        "speech is off: its transition leads nowhere"
    );
    assert!(g.prompt.is_some());
    e.handle_digits("12", T0 + 2000).unwrap();
    // Every key moves the deadline.
    assert_eq!(
        e.status(),
        Status::Gathering {
            widget: "menu".into(),
            deadline_ms: T0 + 7000,
            digits: "12".into()
        }
    );
    e.handle_digits("3#99", T0 + 3000).unwrap();
    assert_eq!(var(&e, "menu", "Digits"), json!("123"));
    assert_eq!(var(&e, "menu", "FinishedOnKey"), json!("#"));
    assert_eq!(var(&e, "menu", "CallStatus"), json!("in-progress"));
    assert_eq!(var(&e, "menu", "CallSid"), json!(format!("CA{:032x}", 1)));
    assert_eq!(e.steps()[1].event.as_deref(), Some("keypress"));
    assert_eq!(e.steps()[1].outcome, "pressed \"123\", then #");
}

#[test]
fn gather_submits_at_the_number_of_digits_and_takes_no_keys_a_phone_lacks() {
    let mut e = start(
        gather(json!({"say": "Press", "number_of_digits": 2}), false),
        call(),
    );
    assert!(matches!(
        e.handle_digits("1a", T0),
        Err(InputError::Invalid(_))
    ));
    assert!(matches!(
        e.handle_digits("", T0),
        Err(InputError::Invalid(_))
    ));
    e.handle_digits("123", T0 + 1000).unwrap();
    assert_eq!(var(&e, "menu", "Digits"), json!("12"));
    assert_eq!(var(&e, "menu", "FinishedOnKey"), json!(""));
    assert_eq!(e.handle_digits("1", T0 + 2000), Err(InputError::NotWaiting));
}

#[test]
fn gather_without_stop_gather_keeps_the_hash_and_submits_when_the_caller_pauses() {
    let mut e = start(
        gather(
            json!({"say": "Press", "stop_gather": false, "finish_on_key": "#", "timeout": 3}),
            false,
        ),
        call(),
    );
    e.handle_digits("1#", T0 + 1000).unwrap();
    assert_eq!(e.poll_timeout(), Some(T0 + 4000));
    e.handle_timeout(T0 + 3999);
    assert!(matches!(e.status(), Status::Gathering { .. }));
    e.handle_timeout(T0 + 4000);
    assert_eq!(var(&e, "menu", "Digits"), json!("1#"));
    assert_eq!(
        e.steps()[1].outcome,
        "pressed \"1#\" (submitted after 3 s without a key)"
    );
}

#[test]
fn gather_times_out_without_input_and_a_hash_alone_is_empty_digits() {
    let mut e = start(gather(json!({"say": "Press"}), false), call());
    e.handle_timeout(T0 + 5000);
    assert_eq!(e.steps()[1].event.as_deref(), Some("timeout"));
    assert_eq!(e.steps()[1].outcome, "no input within 5 s");
    assert_eq!(var(&e, "menu", "CallStatus"), json!("in-progress"));
    assert!(var(&e, "menu", "Digits").is_null());
    // `finish_on_key` defaults to #.
    let mut e = start(gather(json!({"say": "Press"}), false), call());
    e.handle_digits("#", T0).unwrap();
    assert_eq!(var(&e, "menu", "Digits"), json!(""));
    assert_eq!(e.steps()[1].event.as_deref(), Some("keypress"));
}

#[test]
fn gather_hears_speech_only_when_its_speech_transition_leads_somewhere() {
    let mut e = start(gather(json!({"say": "Say"}), false), call());
    assert!(matches!(
        e.handle_speech("sales", 0.8, T0),
        Err(InputError::Invalid(m)) if m.contains("does not listen")
    ));
    let mut e = start(
        gather(
            json!({"say": "Say", "gather_language": "en-GB", "hints": "sales, support"}),
            true,
        ),
        call(),
    );
    let Some(Effect::Gather(g)) = effects(&mut e).into_iter().next() else {
        panic!()
    };
    let speech = g.speech.expect("speech is on");
    assert_eq!(speech.language, "en-GB");
    assert_eq!(speech.hints, vec!["sales", "support"]);
    assert_eq!(speech.timeout, "auto");
    assert!(matches!(
        e.handle_speech("  ", 0.8, T0),
        Err(InputError::Invalid(_))
    ));
    e.handle_digits("1", T0).unwrap();
    e.handle_speech("Sales.", 0.912345678, T0 + 2000).unwrap();
    assert_eq!(var(&e, "menu", "SpeechResult"), json!("Sales."));
    assert_eq!(var(&e, "menu", "Confidence"), json!("0.91234568"));
    assert!(var(&e, "menu", "Digits").is_null());
    assert_eq!(e.steps()[1].event.as_deref(), Some("speech"));
}

#[test]
fn hanging_up_during_a_gather_ends_the_execution() {
    let mut e = start(gather(json!({"say": "Press"}), true), call());
    e.handle_digits("4", T0).unwrap();
    e.handle_hangup(T0 + 1000).unwrap();
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::CallEnded {
            widget: "menu".into()
        })
    );
    assert!(e.flow_data()["widgets"].get("menu").is_none());
}

fn record(props: serde_json::Value) -> flowpen_flow::Flow {
    flow(
        "incomingCall",
        &[(
            "vm",
            "record-voicemail",
            json!({"recordingComplete": null, "noAudio": null, "hangup": null}),
            props,
        )],
    )
}

fn recording(text: &str, duration_s: Option<u64>, ended_by: RecordingEnd) -> Recording {
    Recording {
        transcript: text.into(),
        duration_s,
        ended_by,
    }
}

#[test]
fn record_voicemail_sets_the_recording_variables() {
    let mut e = start(
        record(
            json!({"max_length": 30, "timeout": 4, "finish_on_key": "*", "transcribe": true, "transcription_callback_url": "https://x.test/{{flow.flow_sid}}"}),
        ),
        call(),
    );
    let Some(Effect::Record(r)) = effects(&mut e).into_iter().next() else {
        panic!()
    };
    assert_eq!(
        (r.max_length_s, r.silence_timeout_s, r.finish_on_key),
        (30, 4, Some('*'))
    );
    assert!(r.play_beep && r.transcribe);
    assert_eq!(
        r.transcription_callback_url.as_deref(),
        Some(format!("https://x.test/FW{:032x}", 0).as_str())
    );
    assert_eq!(r.deadline_ms, T0 + 4000);
    // Ending on a key the widget does not stop on is refused.
    assert!(matches!(
        e.handle_recording(recording("hi", None, RecordingEnd::Key('#')), T0),
        Err(InputError::Invalid(_))
    ));
    e.handle_recording(
        recording("one two three four five six", None, RecordingEnd::Key('*')),
        T0 + 9000,
    )
    .unwrap();
    assert_eq!(last(&e).0.as_deref(), Some("recordingComplete"));
    // 6 words × 0.4 s, rounded up.
    assert_eq!(var(&e, "vm", "RecordingDuration"), json!("3"));
    assert_eq!(var(&e, "vm", "Digits"), json!("*"));
    assert_eq!(var(&e, "vm", "Source"), json!("RecordVerb"));
    let sid = var(&e, "vm", "RecordingSid");
    assert_eq!(var(&e, "vm", "Sid"), sid);
    assert_eq!(
        var(&e, "vm", "RecordingUrl"),
        json!(format!(
            "https://api.twilio.com/2010-04-01/Accounts/AC{:032x}/Recordings/{}",
            0,
            sid.as_str().unwrap()
        ))
    );
    assert_eq!(
        var(&e, "vm", "DateCreated"),
        json!("Thu, 01 Jan 2026 00:00:09 +0000")
    );
    assert!(
        e.flow_data().to_string().find("one two three").is_none(),
        "Studio never puts the transcription in Flow Data"
    );
}

#[test]
fn record_voicemail_durations_are_capped_and_silence_is_no_audio() {
    let mut e = start(record(json!({"max_length": 10})), call());
    e.handle_recording(recording("x", Some(600), RecordingEnd::Silence), T0)
        .unwrap();
    assert_eq!(var(&e, "vm", "RecordingDuration"), json!("10"));
    assert!(var(&e, "vm", "Digits").is_null());
    let mut e = start(record(json!({})), call());
    e.handle_recording(recording("x", Some(3), RecordingEnd::MaxLength), T0)
        .unwrap();
    assert_eq!(var(&e, "vm", "RecordingDuration"), json!("3600"));
    let mut e = start(record(json!({})), call());
    e.handle_timeout(T0 + 5000);
    assert_eq!(
        last(&e),
        (
            Some("noAudio".into()),
            "no audio: nothing was recorded within 5 s of silence".into()
        )
    );
    let mut e = start(record(json!({})), call());
    e.handle_recording(recording(" ", None, RecordingEnd::Silence), T0)
        .unwrap();
    assert_eq!(last(&e).0.as_deref(), Some("noAudio"));
}

#[test]
fn hanging_up_during_record_voicemail_follows_hangup() {
    // After speaking: the recording is kept.
    let mut e = start(record(json!({})), call());
    e.handle_recording(recording("bye now", None, RecordingEnd::Hangup), T0)
        .unwrap();
    assert_eq!(last(&e).0.as_deref(), Some("hangup"));
    assert_eq!(var(&e, "vm", "Digits"), json!("hangup"));
    assert_eq!(var(&e, "vm", "CallStatus"), json!("completed"));
    assert!(var(&e, "vm", "RecordingUrl").is_string());
    assert!(!e.call().unwrap().live);
    assert!(ended(&e).contains("has no next widget for \"hangup\""));
    // Before speaking: no recording.
    let mut e = start(record(json!({})), call());
    e.handle_hangup(T0).unwrap();
    assert_eq!(
        last(&e),
        (
            Some("hangup".into()),
            "the caller hung up without recording anything".into()
        )
    );
    assert!(var(&e, "vm", "RecordingUrl").is_null());
}

#[test]
fn widgets_after_a_hang_up_find_the_call_over_but_others_go_on() {
    // The caller hangs up while a request is under way: the request goes on, the Set Variables
    // after it runs, and the Say/Play after that ends the execution.
    let f = flow(
        "incomingCall",
        &[
            (
                "lookup",
                "make-http-request",
                json!({"success": "note", "failed": "note"}),
                json!({"method": "GET", "url": "https://x.test/", "content_type": "application/json"}),
            ),
            (
                "note",
                "set-variables",
                json!({"next": "bye"}),
                json!({"variables": [{"key": "k", "value": "v"}]}),
            ),
            (
                "bye",
                "say-play",
                json!({"audioComplete": null}),
                json!({"say": "bye"}),
            ),
        ],
    );
    let mut e = start(f, call());
    let Status::WaitingForHttp { request, .. } = e.status() else {
        panic!()
    };
    e.handle_hangup(T0 + 100).unwrap();
    assert!(matches!(e.status(), Status::WaitingForHttp { .. }));
    assert_eq!(e.handle_hangup(T0 + 150), Err(InputError::NoCall));
    let response = flowpen_engine::HttpResponse {
        status: 200,
        headers: vec![],
        body: String::new(),
    };
    e.handle_http_response(request, Ok(response), T0 + 200)
        .unwrap();
    assert_eq!(e.flow_data()["flow"]["variables"]["k"], json!("v"));
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::CallEnded {
            widget: "bye".into()
        })
    );
    assert_eq!(
        last(&e),
        (
            None,
            "the call has ended: the caller hung up before this widget".into()
        )
    );
}

#[test]
fn the_call_trigger_carries_twilios_call_parameters() {
    let trigger = Trigger::Call(flowpen_engine::InboundCall {
        from: "+1555".into(),
        to: "+1666".into(),
        parameters: vec![
            ("FromCity".into(), "OAKLAND".into()),
            ("HandoffData".into(), "{}".into()),
        ],
    });
    let mut e = start(gather(json!({"say": "x"}), false), trigger);
    let call = &e.flow_data()["trigger"]["call"];
    for (k, v) in [
        ("CallSid", format!("CA{:032x}", 1)),
        ("CallStatus", "ringing".into()),
        ("Direction", "inbound".into()),
        ("From", "+1555".into()),
        ("Caller", "+1555".into()),
        ("To", "+1666".into()),
        ("Called", "+1666".into()),
        ("ApiVersion", "2010-04-01".into()),
        ("HandoffData", "{}".into()),
        ("FromCity", "OAKLAND".into()),
    ] {
        assert_eq!(call[k], json!(v), "{k}");
    }
    // Geographic parameters come with every call webhook; others only with the trigger.
    e.handle_digits("1#", T0).unwrap();
    assert_eq!(var(&e, "menu", "FromCity"), json!("OAKLAND"));
    assert!(var(&e, "menu", "HandoffData").is_null());
    assert_eq!(
        e.flow_data()["contact"]["channel"]["address"],
        json!("+1555")
    );
    assert_eq!(e.flow_data()["flow"]["channel"]["address"], json!("+1666"));
}
