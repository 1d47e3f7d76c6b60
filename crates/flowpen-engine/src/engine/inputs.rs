//! The inputs as data (`handle`), and the messaging and HTTP inputs: a reply, a message sent or
//! failed, a response, time passing. The call's inputs are in `caller`, the debugger's in `debug`.

use super::{Engine, InputError, Phase, Waiting};
use crate::input::Input;
use crate::io::{EndReason, HttpResponse, InboundMessage, MessageId, RequestId, TransportError};

impl Engine {
    /// Takes any input, as data: dispatches to the `handle_*` method it stands for (or `stop`,
    /// or the debugger's inputs). `Input::Timeout` is refused (`NotWaiting`) when no deadline is
    /// due, and `Input::Stop` when the execution has ended, so that a driver records only inputs
    /// that did something. The engine records nothing itself.
    pub fn handle(&mut self, input: Input, now_ms: u64) -> Result<(), InputError> {
        match input {
            Input::Message(m) => self.handle_message(m, now_ms),
            Input::Sent(id) => self.handle_sent(id, now_ms),
            Input::SendFailure { message, error } => {
                self.handle_send_failure(message, &error, now_ms)
            }
            Input::Http { request, response } => {
                self.handle_http_response(request, response, now_ms)
            }
            Input::Timeout => self.timeout(now_ms),
            Input::AudioComplete(id) => self.handle_audio_complete(id, now_ms),
            Input::Digits(keys) => self.handle_digits(&keys, now_ms),
            Input::Speech { text, confidence } => self.handle_speech(&text, confidence, now_ms),
            Input::Recording(r) => self.handle_recording(r, now_ms),
            Input::HangUp => self.handle_hangup(now_ms),
            Input::External { wait, outcome } => self.handle_external(wait, outcome, now_ms),
            Input::Stop => {
                if self.end_reason().is_some() {
                    return Err(InputError::NotWaiting);
                }
                self.now_ms = now_ms;
                self.stop();
                Ok(())
            }
            Input::Continue => self.handle_continue(now_ms),
            Input::Step => self.handle_step(now_ms),
            Input::SetFlowData(data) => self.handle_set_flow_data(data, now_ms),
            Input::Breakpoints(set) => self.handle_breakpoints(set),
        }
    }

    /// The contact replied. Taken only while a Send & Wait For Reply widget waits.
    pub fn handle_message(
        &mut self,
        message: InboundMessage,
        now_ms: u64,
    ) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let Waiting::Reply {
            state,
            step,
            outbound,
            ..
        } = self.take_waiting(|w| match w {
            Waiting::Reply { .. } => Ok(()),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.reply_received(state, step, outbound, &message, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// A Send Message widget's message was sent.
    pub fn handle_sent(&mut self, id: MessageId, now_ms: u64) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let Waiting::Sent {
            state,
            step,
            outbound,
            ..
        } = self.take_waiting(|w| match w {
            Waiting::Sent { message, .. } if *message == id => Ok(()),
            Waiting::Sent { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.message_sent(state, step, outbound, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// A message could not be sent or delivered: Send Message follows `failed`; a waiting Send &
    /// Wait For Reply follows `deliveryFailure`.
    pub fn handle_send_failure(
        &mut self,
        id: MessageId,
        error: &str,
        now_ms: u64,
    ) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let waiting = self.take_waiting(|w| match w {
            Waiting::Sent { message, .. } | Waiting::Reply { message, .. } if *message == id => {
                Ok(())
            }
            Waiting::Sent { .. } | Waiting::Reply { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?;
        match waiting {
            Waiting::Reply {
                state,
                step,
                outbound,
                ..
            } => self.message_failed(state, step, outbound, true, error, now_ms),
            Waiting::Sent {
                state,
                step,
                outbound,
                ..
            } => self.message_failed(state, step, outbound, false, error, now_ms),
            _ => return Err(InputError::NotWaiting),
        }
        self.run(now_ms);
        Ok(())
    }

    /// The response (or transport error) of request `id`.
    pub fn handle_http_response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse, TransportError>,
        now_ms: u64,
    ) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let Waiting::Http {
            state,
            request,
            step,
            ..
        } = self.take_waiting(|w| match w {
            Waiting::Http { request, .. } if request.id == id => Ok(()),
            Waiting::Http { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.finish_http(state, request, step, response, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// Time passed: fires the deadline of what the execution waits for when it is due (a reply's
    /// timeout, an HTTP time limit, a Gather's or a Record Voicemail's silence, an outside wait's
    /// timeout).
    pub fn handle_timeout(&mut self, now_ms: u64) {
        // Nothing due is not an error for a timer that fired early or late.
        let _ = self.timeout(now_ms);
    }

    /// `handle_timeout` that says whether a deadline was due (`NotWaiting` when none was).
    fn timeout(&mut self, now_ms: u64) -> Result<(), InputError> {
        self.now_ms = now_ms;
        let Some(deadline) = self.poll_timeout() else {
            return Err(InputError::NotWaiting);
        };
        if now_ms < deadline {
            return Err(InputError::NotWaiting);
        }
        let Phase::Waiting(w) =
            std::mem::replace(&mut self.phase, Phase::Ended(EndReason::Stopped))
        else {
            return Err(InputError::NotWaiting);
        };
        match *w {
            Waiting::Reply {
                state,
                step,
                outbound,
                ..
            } => self.reply_timed_out(state, step, outbound, now_ms),
            Waiting::Http {
                state,
                request,
                step,
                ..
            } => self.http_timed_out(state, request, step, now_ms),
            Waiting::Gather {
                state,
                gather,
                step,
            } => self.gather_timed_out(state, gather, step, now_ms),
            Waiting::Record {
                state,
                record,
                step,
            } => self.record_timed_out(state, record, step, now_ms),
            Waiting::External {
                state,
                request,
                step,
            } => self.external_timed_out(state, request, step, now_ms),
            other => {
                self.phase = Phase::Waiting(Box::new(other));
                return Err(InputError::NotWaiting);
            }
        }
        self.run(now_ms);
        Ok(())
    }
}
