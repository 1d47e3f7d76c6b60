//! The Trigger widget: how an execution starts (`incomingMessage`, `incomingRequest`,
//! `incomingCall`, `incomingConversationMessage`, `incomingParent`) and the Flow Data it starts
//! with (`trigger.*`, `flow.data`, the addresses).

use serde_json::{json, Map, Value};

use super::call::{iso8601, CallLeg};
use super::Engine;
use crate::io::{InboundMessage, Trigger};
use crate::step::Step;
use crate::EndReason;

impl Engine {
    /// The Flow Data an execution starts with: `flow`, `contact`, `trigger` and no `widgets`; a call
    /// start also puts the execution on the call.
    pub(crate) fn initial_context(&mut self, trigger: &Trigger, now_ms: u64) -> Value {
        let (contact, flow_address) = trigger.addresses();
        let mut data = json!({});
        let trig = match trigger {
            Trigger::Message(m) => json!({ "message": self.message_params_with_sid(m, 0) }),
            Trigger::Rest {
                from,
                to,
                parameters,
            } => {
                if parameters.is_object() {
                    data = parameters.clone();
                }
                json!({ "request": { "From": from, "To": to, "parameters": data } })
            }
            Trigger::Call(c) => {
                let leg = CallLeg::inbound(format!("CA{:032x}", 1), c);
                let mut params = leg.params(&self.setup.config.account_sid, "ringing");
                for (k, v) in &c.parameters {
                    params.insert(k.clone(), json!(v));
                }
                self.call = Some(leg);
                json!({ "call": params })
            }
            Trigger::Conversation(m) => {
                json!({ "conversation": self.conversation_params(m, now_ms) })
            }
            Trigger::Subflow(s) => {
                let mut trig = match &s.parent_trigger {
                    Value::Object(o) => o.clone(),
                    _ => Map::new(),
                };
                if let Some(call) = trig.get("call").and_then(Value::as_object) {
                    self.call = Some(CallLeg::from_params(call));
                }
                let parameters = match &s.parameters {
                    p @ Value::Object(_) => p.clone(),
                    _ => json!({}),
                };
                trig.insert("parent".into(), json!({ "parameters": parameters }));
                Value::Object(trig)
            }
        };
        json!({
            "flow": {
                "flow_sid": self.setup.config.flow_sid,
                "channel": { "address": flow_address },
                "data": data,
                "variables": {},
            },
            "contact": { "channel": { "address": contact } },
            "trigger": trig,
            "widgets": {},
        })
    }

    /// Conversations' `onMessageAdded` webhook parameters as Studio passes them
    /// (studio-format.md §5: `AccountSid, Body, ChannelSid, ConversationSid, DateCreated, From,
    /// MessageSid, MessagingServiceSid`). A conversation's SID is its channel SID (`CH…`).
    fn conversation_params(&self, m: &InboundMessage, now_ms: u64) -> Value {
        let conversation = format!("CH{:032x}", 1);
        json!({
            "AccountSid": self.setup.config.account_sid,
            "Body": m.body,
            "ChannelSid": conversation,
            "ConversationSid": conversation,
            "DateCreated": iso8601(now_ms),
            "From": m.from,
            "MessageSid": format!("IM{:032x}", 1),
            "MessagingServiceSid": format!("MG{:032x}", 0),
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
        o.insert("AccountSid".into(), json!(self.setup.config.account_sid));
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
        if self.runs[i] > 1 {
            return Err(EndReason::Error {
                widget: self.flow.states[i].name.clone(),
                message: "a transition leads back to the Trigger, which only starts executions"
                    .into(),
            });
        }
        let (event, outcome) = match &self.subflow {
            Some(r) => (
                "incomingParent",
                format!(
                    "started by the parent flow's Run Subflow widget \"{}\"",
                    r.widget
                ),
            ),
            None => (self.trigger.event(), self.trigger.describe()),
        };
        step.outcome = outcome;
        self.leave(i, event, step, now_ms);
        Ok(())
    }
}
