//! The inputs of a call and of the outside world: the audio finished, the caller pressed keys,
//! spoke, left a recording or hung up, and the outside world answered a waiting widget.

use super::{Engine, InputError, Phase, Waiting};
use crate::call::{ExternalOutcome, Recording, WaitId};
use crate::io::EndReason;

/// Keys a caller can press (DTMF).
const KEYS: &str = "0123456789*#";
/// The longest input text the engine takes (keys, speech, a recording).
const MAX_INPUT: usize = 10_000;

impl Engine {
    /// A Say/Play's audio finished playing.
    pub fn handle_audio_complete(&mut self, id: WaitId, now_ms: u64) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let Waiting::Audio {
            state, audio, step, ..
        } = self.take_waiting(|w| match w {
            Waiting::Audio { id: pending, .. } if *pending == id => Ok(()),
            Waiting::Audio { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.audio_completed(state, id, audio, step, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// The caller pressed `keys` (`0`–`9`, `*`, `#`) while a Gather Input On Call waits.
    pub fn handle_digits(&mut self, keys: &str, now_ms: u64) -> Result<(), InputError> {
        if keys.is_empty() || keys.len() > MAX_INPUT || !keys.chars().all(|c| KEYS.contains(c)) {
            return Err(InputError::Invalid(format!(
                "\"{}\" are not keys of a phone (0-9, * and #)",
                keys.chars().take(40).collect::<String>()
            )));
        }
        self.now_ms = now_ms;
        let Waiting::Gather {
            state,
            gather,
            step,
        } = self.take_waiting(|w| match w {
            Waiting::Gather { .. } => Ok(()),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.gather_digits(state, gather, step, keys, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// The caller said `text`, recognised with `confidence` (0 to 1), while a Gather Input On Call
    /// listens for speech (its "User Said Something" transition leads somewhere).
    pub fn handle_speech(
        &mut self,
        text: &str,
        confidence: f64,
        now_ms: u64,
    ) -> Result<(), InputError> {
        let text = text.trim();
        if text.is_empty() || text.len() > MAX_INPUT {
            return Err(InputError::Invalid(
                "speech needs a text (of at most 10,000 bytes)".into(),
            ));
        }
        self.now_ms = now_ms;
        let Waiting::Gather { state, step, .. } = self.take_waiting(|w| match w {
            Waiting::Gather { gather, .. } if gather.speech => Ok(()),
            Waiting::Gather { .. } => Err(InputError::Invalid(
                "this Gather does not listen for speech: Studio turns speech recognition on only when its \"User Said Something\" transition leads to a widget".into(),
            )),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.gather_speech(state, step, text, confidence, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// The caller left a recording while a Record Voicemail waits.
    pub fn handle_recording(
        &mut self,
        recording: Recording,
        now_ms: u64,
    ) -> Result<(), InputError> {
        if recording.transcript.len() > MAX_INPUT {
            return Err(InputError::Invalid(
                "a recording's text has at most 10,000 bytes".into(),
            ));
        }
        self.now_ms = now_ms;
        let Waiting::Record {
            state,
            record,
            step,
        } = self.take_waiting(|w| match w {
            Waiting::Record { record, .. } => {
                Engine::recording_fits(record, &recording).map_err(InputError::Invalid)
            }
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        if recording.ended_by == crate::call::RecordingEnd::Hangup {
            self.call_ended();
        }
        self.recording_received(state, record, step, recording, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// The caller hung up. The call is over: a widget that waits on the call follows its `hangup`
    /// event if it has one (Record Voicemail, Connect Call To, Capture Payments, Connect Virtual
    /// Agent; Enqueue Call and Send to Flex follow `callComplete` with `QueueResult` `hangup`);
    /// Say/Play and Gather end the execution, as Studio does when the call ends; anything else
    /// (a reply, a request, an outside wait without a hangup event) goes on, and call widgets
    /// after it end the execution.
    pub fn handle_hangup(&mut self, now_ms: u64) -> Result<(), InputError> {
        if self.end_reason().is_some() {
            return Err(InputError::NotWaiting);
        }
        if !self.call.as_ref().is_some_and(|c| c.live) {
            return Err(InputError::NoCall);
        }
        self.now_ms = now_ms;
        self.call_ended();
        let w = match std::mem::replace(&mut self.phase, Phase::Ended(EndReason::Stopped)) {
            Phase::Waiting(w) => w,
            // Between inputs the engine waits or has ended; nothing else to do.
            other => {
                self.phase = other;
                return Ok(());
            }
        };
        match *w {
            Waiting::Audio {
                state, mut step, ..
            }
            | Waiting::Gather {
                state, mut step, ..
            } => {
                step.outcome = "the caller hung up".into();
                self.finish_step(step, now_ms);
                let widget = self.flow.states[state].name.clone();
                self.end(EndReason::CallEnded { widget });
            }
            Waiting::Record { state, step, .. } => self.recording_hung_up(state, step, now_ms),
            Waiting::External {
                state,
                request,
                step,
            } => self.external_hung_up(state, request, step, now_ms),
            other => self.phase = Phase::Waiting(Box::new(other)),
        }
        self.run(now_ms);
        Ok(())
    }

    /// The outside world answered the waiting widget `id` with one of its events.
    pub fn handle_external(
        &mut self,
        id: WaitId,
        outcome: ExternalOutcome,
        now_ms: u64,
    ) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let Waiting::External {
            state,
            request,
            step,
        } = self.take_waiting(|w| match w {
            Waiting::External { request, .. } if request.id == id => {
                match request.event(&outcome.event) {
                    Some(_) => Ok(()),
                    None => Err(InputError::Invalid(format!(
                        "\"{}\" can end with {}, not \"{}\"",
                        request.widget,
                        request
                            .events
                            .iter()
                            .map(|e| e.event.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        outcome.event
                    ))),
                }
            }
            Waiting::External { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.external_done(state, request, step, outcome, "", now_ms);
        self.run(now_ms);
        Ok(())
    }
}
