//! The widgets that talk with the caller: Say/Play, Gather Input On Call and Record Voicemail.
//!
//! Docs: <https://www.twilio.com/docs/studio/widget-library/sayplay>,
//! <https://www.twilio.com/docs/studio/widget-library/gather-input-call>,
//! <https://www.twilio.com/docs/studio/widget-library/record-voicemail>.
//!
//! Decisions where Studio is silent or cannot be simulated:
//! - Say/Play waits for the shell to say the audio finished (`handle_audio_complete`), as Send
//!   Message waits for "sent": the caller can hang up while it plays. `say` wins over `play`, which
//!   wins over `digits` (the widget has one of them; Studio's editor keeps only the chosen one).
//! - Gather: keys up to the finish key, or reaching the number of digits, submit at once
//!   (`keypress`); otherwise every key restarts the timeout, and when it expires the keys so far are
//!   submitted (`keypress`) or, with none, the widget times out (`timeout`), as `<Gather>` does.
//!   The finish key is only a key when "stop gathering on keypress" is on (`stop_gather`, default
//!   on; `finish_on_key` defaults to `#`, and `""` means none); it is never part of `Digits`. A
//!   finish key alone submits empty `Digits`.
//! - Speech is heard only when the `speech` transition leads somewhere: Studio turns speech
//!   recognition on by connecting "User Said Something" (the widget page's notice). Speech to a
//!   Gather that does not listen is refused (`InputError::Invalid`).
//! - Record Voicemail: no recording within the silence timeout is `noAudio` (documented for legacy
//!   accounts; the simulator keeps it so the port can be tried). Studio never puts the
//!   transcription in Flow Data, so the recording's text shows in the step only.

use flowpen_flow::Json;
use serde_json::{json, Map, Value};

use super::call::rfc2822;
use super::{Engine, Phase, Waiting};
use crate::call::{
    Audio, AudioKind, GatherRequest, RecordRequest, Recording, RecordingEnd, SpeechSettings, WaitId,
};
use crate::io::{Effect, EndReason};
use crate::step::Step;

/// Keys a Gather keeps at most (more are submitted at once).
const MAX_DIGITS: usize = 1000;

/// A Gather in progress.
#[derive(Clone, Debug)]
pub(crate) struct GatherState {
    pub(crate) deadline_ms: u64,
    pub(crate) timeout_ms: u64,
    pub(crate) digits: String,
    pub(crate) finish: Option<char>,
    pub(crate) number: Option<usize>,
    pub(crate) speech: bool,
}

/// A Record Voicemail in progress.
#[derive(Clone, Debug)]
pub(crate) struct RecordState {
    pub(crate) deadline_ms: u64,
    pub(crate) silence_s: u64,
    pub(crate) max_length_s: u64,
    pub(crate) finish: Option<char>,
}

impl Engine {
    /// A numeric property (a number or a numeric string), if set.
    pub(crate) fn number_prop(&self, i: usize, key: &str) -> Option<f64> {
        self.flow.states[i]
            .properties
            .get(key)
            .and_then(Json::as_number_lenient)
            .filter(|n| n.is_finite())
    }

    /// A whole number of seconds (or a count) from a property, within `min..=max`.
    pub(crate) fn count_prop(&self, i: usize, key: &str, default: u64, min: u64, max: u64) -> u64 {
        self.number_prop(i, key)
            .filter(|n| *n >= 0.0)
            .map_or(default, |n| n as u64)
            .clamp(min, max)
    }

    /// A toggle: `true`/`false`, or the strings `"true"`/`"false"` Studio writes for some.
    pub(crate) fn flag_prop(&self, i: usize, key: &str, default: bool) -> bool {
        match self.flow.states[i].properties.get(key) {
            Some(Json::Bool(b)) => *b,
            Some(Json::String(s)) if s.trim().eq_ignore_ascii_case("true") => true,
            Some(Json::String(s)) if s.trim().eq_ignore_ascii_case("false") => false,
            _ => default,
        }
    }

    /// Renders a text property when it is set and not blank (and logs it).
    pub(crate) fn render_opt(
        &self,
        i: usize,
        key: &str,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Option<String>, EndReason> {
        match self.flow.states[i].prop_str(key) {
            Some(t) if !t.trim().is_empty() => self.render_prop(i, key, step, now_ms).map(Some),
            _ => Ok(None),
        }
    }

    /// The audio of a Say/Play or a Gather's prompt (`say`, else `play`, else `digits`).
    fn render_audio(
        &self,
        i: usize,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Option<Audio>, EndReason> {
        let loops = self.count_prop(i, "loop", 1, 1, 99) as u32;
        let kind = if let Some(text) = self.render_opt(i, "say", step, now_ms)? {
            AudioKind::Say {
                text,
                voice: self.render_opt(i, "voice", step, now_ms)?,
                language: self.render_opt(i, "language", step, now_ms)?,
            }
        } else if let Some(url) = self.render_opt(i, "play", step, now_ms)? {
            AudioKind::Play { url }
        } else if let Some(digits) = self.render_opt(i, "digits", step, now_ms)? {
            AudioKind::Digits { digits }
        } else {
            return Ok(None);
        };
        if loops > 1 {
            step.inputs.push(("loop".into(), loops.to_string()));
        }
        Ok(Some(Audio { kind, loops }))
    }

    pub(crate) fn run_say_play(
        &mut self,
        i: usize,
        step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let mut step = self.require_call(i, step, now_ms)?;
        let audio = self.render_audio(i, &mut step, now_ms)?.unwrap_or(Audio {
            kind: AudioKind::Say {
                text: String::new(),
                voice: None,
                language: None,
            },
            loops: 1,
        });
        let id = self.new_wait();
        self.effects.push_back(Effect::SayPlay {
            id,
            widget: self.flow.states[i].name.clone(),
            audio: audio.clone(),
        });
        self.phase = Phase::Waiting(Box::new(Waiting::Audio {
            state: i,
            id,
            audio,
            step,
        }));
        Ok(())
    }

    /// The audio finished: `audioComplete`, with `widgets.NAME.voice` / `.language` as the
    /// widget page lists them.
    pub(crate) fn audio_completed(
        &mut self,
        state: usize,
        _id: WaitId,
        audio: Audio,
        mut step: Step,
        now_ms: u64,
    ) {
        let mut vars = Map::new();
        step.outcome = match audio.kind {
            AudioKind::Say {
                text,
                voice,
                language,
            } => {
                if let Some(v) = voice {
                    vars.insert("voice".into(), json!(v));
                }
                if let Some(l) = language {
                    vars.insert("language".into(), json!(l));
                }
                format!("said \"{text}\"")
            }
            AudioKind::Play { url } => format!("played {url}"),
            AudioKind::Digits { digits } => format!("played the digits {digits}"),
        };
        if !vars.is_empty() {
            self.set_widget(&mut step, state, Value::Object(vars));
        }
        self.leave(state, "audioComplete", step, now_ms);
    }

    pub(crate) fn run_gather(
        &mut self,
        i: usize,
        step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let mut step = self.require_call(i, step, now_ms)?;
        let prompt = self.render_audio(i, &mut step, now_ms)?;
        let timeout_s = self.count_prop(i, "timeout", 5, 0, 3600);
        let finish = if self.flag_prop(i, "stop_gather", true) {
            match self.flow.states[i].prop_str("finish_on_key") {
                None => Some('#'),
                Some(k) => k.trim().chars().next(),
            }
        } else {
            None
        };
        let number = self
            .number_prop(i, "number_of_digits")
            .filter(|n| *n >= 1.0)
            .map(|n| (n as usize).min(MAX_DIGITS));
        let speech = self.flow.states[i]
            .transitions
            .iter()
            .any(|t| t.event == "speech" && t.next.as_deref().is_some_and(|n| !n.is_empty()));
        step.inputs.push(("timeout".into(), timeout_s.to_string()));
        if let Some(k) = finish {
            step.inputs.push(("finish_on_key".into(), k.to_string()));
        }
        if let Some(n) = number {
            step.inputs.push(("number_of_digits".into(), n.to_string()));
        }
        let settings = if speech {
            let language = self
                .render_opt(i, "gather_language", &mut step, now_ms)?
                .unwrap_or_else(|| "en-US".into());
            let hints = self
                .render_opt(i, "hints", &mut step, now_ms)?
                .map(|h| {
                    h.split(',')
                        .map(|x| x.trim().to_owned())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let text = |k: &str| self.flow.states[i].prop_str(k).map(|s| s.trim().to_owned());
            Some(SpeechSettings {
                language,
                hints,
                timeout: text("speech_timeout")
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "auto".into()),
                model: text("speech_model").filter(|s| !s.is_empty()),
                profanity_filter: self.flag_prop(i, "profanity_filter", true),
            })
        } else {
            None
        };
        step.inputs.push((
            "speech".into(),
            if speech { "on" } else { "off" }.to_owned(),
        ));
        let timeout_ms = timeout_s.saturating_mul(1000);
        let deadline_ms = now_ms.saturating_add(timeout_ms);
        self.effects.push_back(Effect::Gather(GatherRequest {
            widget: self.flow.states[i].name.clone(),
            prompt,
            timeout_s,
            finish_on_key: finish,
            number_of_digits: number.map(|n| n as u32),
            speech: settings,
            deadline_ms,
        }));
        self.phase = Phase::Waiting(Box::new(Waiting::Gather {
            state: i,
            gather: GatherState {
                deadline_ms,
                timeout_ms,
                digits: String::new(),
                finish,
                number,
                speech,
            },
            step,
        }));
        Ok(())
    }

    /// Keys pressed during a Gather (see the module docs for when they submit).
    pub(crate) fn gather_digits(
        &mut self,
        state: usize,
        mut gather: GatherState,
        step: Step,
        keys: &str,
        now_ms: u64,
    ) {
        for c in keys.chars() {
            if gather.finish == Some(c) {
                return self.gather_keypress(state, gather.digits, Some(c), step, now_ms, "");
            }
            gather.digits.push(c);
            let n = gather.digits.chars().count();
            if gather.number.is_some_and(|want| n >= want) || n >= MAX_DIGITS {
                return self.gather_keypress(state, gather.digits, None, step, now_ms, "");
            }
        }
        gather.deadline_ms = now_ms.saturating_add(gather.timeout_ms);
        self.phase = Phase::Waiting(Box::new(Waiting::Gather {
            state,
            gather,
            step,
        }));
    }

    /// The keys are submitted: `keypress` (`note` ends the outcome).
    fn gather_keypress(
        &mut self,
        state: usize,
        digits: String,
        finished_on: Option<char>,
        mut step: Step,
        now_ms: u64,
        note: &str,
    ) {
        let mut vars = self.call_params("in-progress");
        vars.insert("Digits".into(), json!(digits));
        vars.insert(
            "FinishedOnKey".into(),
            json!(finished_on.map(String::from).unwrap_or_default()),
        );
        step.outcome = match finished_on {
            Some(k) => format!("pressed \"{digits}\", then {k}{note}"),
            None => format!("pressed \"{digits}\"{note}"),
        };
        self.set_widget(&mut step, state, Value::Object(vars));
        self.leave(state, "keypress", step, now_ms);
    }

    /// The caller said something a listening Gather recognised: `speech`.
    pub(crate) fn gather_speech(
        &mut self,
        state: usize,
        mut step: Step,
        text: &str,
        confidence: f64,
        now_ms: u64,
    ) {
        let confidence = format_confidence(confidence);
        let mut vars = self.call_params("in-progress");
        vars.insert("SpeechResult".into(), json!(text));
        vars.insert("Confidence".into(), json!(confidence));
        step.outcome = format!("said \"{text}\" (confidence {confidence})");
        self.set_widget(&mut step, state, Value::Object(vars));
        self.leave(state, "speech", step, now_ms);
    }

    pub(crate) fn gather_timed_out(
        &mut self,
        state: usize,
        gather: GatherState,
        mut step: Step,
        now_ms: u64,
    ) {
        let seconds = gather.timeout_ms / 1000;
        if !gather.digits.is_empty() {
            let note = format!(" (submitted after {seconds} s without a key)");
            return self.gather_keypress(state, gather.digits, None, step, now_ms, &note);
        }
        step.outcome = format!("no input within {seconds} s");
        let vars = self.call_params("in-progress");
        self.set_widget(&mut step, state, Value::Object(vars));
        self.leave(state, "timeout", step, now_ms);
    }

    pub(crate) fn run_record(
        &mut self,
        i: usize,
        step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let mut step = self.require_call(i, step, now_ms)?;
        let silence_s = self.count_prop(i, "timeout", 5, 0, 3600);
        let max_length_s = self.count_prop(i, "max_length", 3600, 1, 14_400);
        let finish = self.flow.states[i]
            .prop_str("finish_on_key")
            .and_then(|k| k.trim().chars().next());
        let play_beep = self.flag_prop(i, "play_beep", true);
        let transcribe = self.flag_prop(i, "transcribe", false);
        step.inputs
            .push(("max_length".into(), max_length_s.to_string()));
        step.inputs.push(("timeout".into(), silence_s.to_string()));
        if let Some(k) = finish {
            step.inputs.push(("finish_on_key".into(), k.to_string()));
        }
        let transcription_callback_url = if transcribe {
            self.render_opt(i, "transcription_callback_url", &mut step, now_ms)?
        } else {
            None
        };
        let deadline_ms = now_ms.saturating_add(silence_s.saturating_mul(1000));
        self.effects.push_back(Effect::Record(RecordRequest {
            widget: self.flow.states[i].name.clone(),
            max_length_s,
            silence_timeout_s: silence_s,
            finish_on_key: finish,
            play_beep,
            transcribe,
            transcription_callback_url,
            deadline_ms,
        }));
        self.phase = Phase::Waiting(Box::new(Waiting::Record {
            state: i,
            record: RecordState {
                deadline_ms,
                silence_s,
                max_length_s,
                finish,
            },
            step,
        }));
        Ok(())
    }

    /// The caller left a recording (`recordingComplete`, or `hangup` when they hung up after
    /// speaking); an empty one is no audio.
    pub(crate) fn recording_received(
        &mut self,
        state: usize,
        record: RecordState,
        mut step: Step,
        recording: Recording,
        now_ms: u64,
    ) {
        let text = recording.transcript.trim();
        let hung_up = recording.ended_by == RecordingEnd::Hangup;
        if text.is_empty() {
            if hung_up {
                return self.recording_hung_up(state, step, now_ms);
            }
            step.outcome = "no audio: the recording is empty".into();
            let vars = self.call_params("in-progress");
            self.set_widget(&mut step, state, Value::Object(vars));
            return self.leave(state, "noAudio", step, now_ms);
        }
        let words = text.split_whitespace().count() as u64;
        let duration = match recording.ended_by {
            RecordingEnd::MaxLength => record.max_length_s,
            _ => recording.duration_s.unwrap_or((words * 2).div_ceil(5)),
        }
        .clamp(1, record.max_length_s);
        let sid = self.sid("RE");
        let account = self.setup.config.account_sid.clone();
        let uri = format!("/2010-04-01/Accounts/{account}/Recordings/{sid}");
        let mut vars = self.call_params(if hung_up { "completed" } else { "in-progress" });
        vars.insert("Channels".into(), json!("1"));
        vars.insert("DateCreated".into(), json!(rfc2822(now_ms)));
        vars.insert("DateUpdated".into(), json!(rfc2822(now_ms)));
        match recording.ended_by {
            RecordingEnd::Key(k) => {
                vars.insert("Digits".into(), json!(k.to_string()));
            }
            RecordingEnd::Hangup => {
                vars.insert("Digits".into(), json!("hangup"));
            }
            RecordingEnd::Silence | RecordingEnd::MaxLength => {}
        }
        vars.insert("RecordingDuration".into(), json!(duration.to_string()));
        vars.insert("RecordingSid".into(), json!(sid));
        vars.insert(
            "RecordingUrl".into(),
            json!(format!("https://api.twilio.com{uri}")),
        );
        vars.insert("Sid".into(), json!(sid));
        vars.insert("Source".into(), json!("RecordVerb"));
        vars.insert("Uri".into(), json!(format!("{uri}.json")));
        step.outcome = format!("recorded {duration} s: \"{text}\"");
        let event = match recording.ended_by {
            RecordingEnd::Hangup => {
                step.outcome.push_str(", then the caller hung up");
                self.call_ended();
                "hangup"
            }
            RecordingEnd::Key(k) => {
                step.outcome.push_str(&format!(", ended with {k}"));
                "recordingComplete"
            }
            RecordingEnd::MaxLength => {
                step.outcome.push_str(" (the longest recording allowed)");
                "recordingComplete"
            }
            RecordingEnd::Silence => "recordingComplete",
        };
        self.set_widget(&mut step, state, Value::Object(vars));
        self.leave(state, event, step, now_ms);
    }

    /// The caller hung up before recording anything: `hangup`.
    pub(crate) fn recording_hung_up(&mut self, state: usize, mut step: Step, now_ms: u64) {
        self.call_ended();
        let mut vars = self.call_params("completed");
        vars.insert("Digits".into(), json!("hangup"));
        step.outcome = "the caller hung up without recording anything".into();
        self.set_widget(&mut step, state, Value::Object(vars));
        self.leave(state, "hangup", step, now_ms);
    }

    pub(crate) fn record_timed_out(
        &mut self,
        state: usize,
        record: RecordState,
        mut step: Step,
        now_ms: u64,
    ) {
        step.outcome = format!(
            "no audio: nothing was recorded within {} s of silence",
            record.silence_s
        );
        let vars = self.call_params("in-progress");
        self.set_widget(&mut step, state, Value::Object(vars));
        self.leave(state, "noAudio", step, now_ms);
    }

    /// Whether a recording input fits the waiting Record Voicemail (its finish key).
    pub(crate) fn recording_fits(
        record: &RecordState,
        recording: &Recording,
    ) -> Result<(), String> {
        match recording.ended_by {
            RecordingEnd::Key(k) if record.finish != Some(k) => Err(format!(
                "the recording cannot end with {k}: the widget stops recording on {}",
                record
                    .finish
                    .map_or_else(|| "no key".to_owned(), |f| f.to_string())
            )),
            _ => Ok(()),
        }
    }
}

/// `Confidence` as Twilio writes it: a decimal between 0 and 1 (at most 8 places).
fn format_confidence(c: f64) -> String {
    let c = if c.is_finite() {
        c.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut s = format!("{c:.8}");
    while s.ends_with('0') && !s.ends_with(".0") {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::format_confidence;

    #[test]
    fn confidences_are_short_decimals() {
        assert_eq!(format_confidence(0.9), "0.9");
        assert_eq!(format_confidence(0.91234567891), "0.91234568");
        assert_eq!(format_confidence(1.0), "1.0");
        assert_eq!(format_confidence(-3.0), "0.0");
        assert_eq!(format_confidence(f64::NAN), "0.0");
    }
}
