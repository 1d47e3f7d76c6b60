//! The Trigger widget: how an execution starts (`incomingMessage`, `incomingRequest`,
//! `incomingCall`) and the Flow Data it starts with (`trigger.*`, `flow.data`, the addresses).

use serde_json::{json, Map, Value};

use super::Engine;
use crate::io::{InboundMessage, Trigger};
use crate::step::Step;
use crate::EndReason;

impl Engine {
    /// The Flow Data an execution starts with: `flow`, `contact`, `trigger` and no `widgets`.
    pub(crate) fn initial_context(&self, trigger: &Trigger) -> Value {
        let (contact, flow_address, data, trig) = match trigger {
            Trigger::Message(m) => (
                m.from.clone(),
                m.to.clone(),
                json!({}),
                json!({ "message": self.message_params_with_sid(m, 0) }),
            ),
            Trigger::Rest {
                from,
                to,
                parameters,
            } => {
                let params = if parameters.is_object() {
                    parameters.clone()
                } else {
                    json!({})
                };
                (
                    to.clone(),
                    from.clone(),
                    params.clone(),
                    json!({ "request": { "From": from, "To": to, "parameters": params } }),
                )
            }
            Trigger::Call { from, to } => (
                from.clone(),
                to.clone(),
                json!({}),
                json!({ "call": {
                    "AccountSid": self.config.account_sid,
                    "ApiVersion": "2010-04-01",
                    "CallSid": format!("CA{:032x}", 1),
                    "CallStatus": "ringing",
                    "Called": to,
                    "Caller": from,
                    "Direction": "inbound",
                    "From": from,
                    "To": to,
                } }),
            ),
        };
        json!({
            "flow": {
                "flow_sid": self.config.flow_sid,
                "channel": { "address": flow_address },
                "data": data,
                "variables": {},
            },
            "contact": { "channel": { "address": contact } },
            "trigger": trig,
            "widgets": {},
        })
    }

    /// A message's webhook parameters with a fresh SID.
    pub(crate) fn message_params(&mut self, m: &InboundMessage) -> Value {
        let n = self.new_sid();
        self.message_params_with_sid(m, n)
    }

    /// Incoming Message webhook parameters, as Twilio sends them (all strings).
    fn message_params_with_sid(&self, m: &InboundMessage, n: u32) -> Value {
        let sid = format!("SM{:032x}", 0x1_0000 + n);
        let mut o = Map::new();
        o.insert("AccountSid".into(), json!(self.config.account_sid));
        o.insert("ApiVersion".into(), json!("2010-04-01"));
        o.insert("Body".into(), json!(m.body));
        o.insert("From".into(), json!(m.from));
        for (i, url) in m.media_urls.iter().enumerate() {
            o.insert(format!("MediaUrl{i}"), json!(url));
        }
        o.insert("MessageSid".into(), json!(sid));
        o.insert("NumMedia".into(), json!(m.media_urls.len().to_string()));
        o.insert("NumSegments".into(), json!("1"));
        o.insert("SmsMessageSid".into(), json!(sid));
        o.insert("SmsSid".into(), json!(sid));
        o.insert("SmsStatus".into(), json!("received"));
        o.insert("To".into(), json!(m.to));
        Value::Object(o)
    }

    pub(crate) fn run_trigger(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        if !self.steps.is_empty() {
            return Err(EndReason::Error {
                widget: self.flow.states[i].name.clone(),
                message: "a transition leads back to the Trigger, which only starts executions"
                    .into(),
            });
        }
        let event = self.trigger.event();
        step.outcome = match &self.trigger {
            Trigger::Message(m) => format!("incoming message from {}: \"{}\"", m.from, m.body),
            Trigger::Rest { from, to, .. } => format!("REST API request (From {from}, To {to})"),
            Trigger::Call { from, .. } => format!("incoming call from {from}"),
        };
        self.leave(i, event, step, now_ms);
        Ok(())
    }
}
