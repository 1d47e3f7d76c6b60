//! How share format 2's preset dictionary (`src/share/dictionary-v2.txt`) was made:
//!
//! ```sh
//! cargo run -p flowpen-playground --example share_dictionary > crates/flowpen-playground/src/share/dictionary-v2.txt
//! ```
//!
//! It was run once, and the file is frozen: every format 2 link depends on its exact bytes (the
//! golden tests in `tests/share.rs` pin them). Its output may drift as Flowpen's widget specs grow;
//! that is the starting point of a format 3, never a change to format 2.
//!
//! The dictionary is Studio's vocabulary, not any particular flow: Liquid's variables and filters
//! as Studio's documentation lists them, the Functions boilerplate of Twilio's documentation and
//! Flowpen's new-Function template, and a project holding one widget of every type with the
//! properties Flowpen's spec table knows (defaults, or the first choice), packed as format 2 packs
//! it. Deflate reaches back at most 32 KB and codes near distances in fewer bits, so what most
//! links use comes last.

use flowpen_flow::json::Json;
use flowpen_flow::spec::{widget_spec, PropKind};
use flowpen_flow::{edit, Flow, Offset, WidgetType};
use flowpen_playground::project::functions::TEMPLATE;
use flowpen_playground::project::{FunctionDef, FunctionsProject, ProjectRef};
use flowpen_playground::share::{self, Options};

/// Liquid as Studio's documentation writes it (variables, tags, filters), and the voices and
/// languages of Say/Play and Gather.
const LIQUID: &[&str] = &[
    "\"voice\":\"Polly.Joanna-Neural\",\"language\":\"en-US\"",
    "\"voice\":\"Polly.Mia\",\"language\":\"es-MX\"",
    "\"voice\":\"alice\",\"language\":\"es-US\"",
    "{% for item in widgets.",
    " %}{{ item.",
    " }}{% endfor %}",
    "{% assign ",
    " | date: \"%Y-%m-%d\"",
    " | default: \"",
    " | upcase}}",
    " | size}}",
    " | minus: 1}}",
    " | plus: 1}}",
    " | downcase}}",
    "{% elsif ",
    " contains \"",
    " != \"",
    " == \"",
    "{% if ",
    "\" %}",
    "{% else %}",
    "{% endif %}",
    "{{trigger.parent.parameters.",
    "{{trigger.request.parameters.",
    "{{trigger.conversation.Body}}",
    "{{trigger.conversation.Author}}",
    "{{trigger.call.CallSid}}",
    "{{trigger.call.Caller}}",
    "{{trigger.call.To}}",
    "{{trigger.call.From}}",
    "{{trigger.message.MessageSid}}",
    "{{trigger.message.ChannelSid}}",
    "{{trigger.message.InstanceSid}}",
    "{{trigger.message.To}}",
    "{{trigger.message.From}}",
    "{{trigger.message.Body}}",
    "{{flow.flow_sid}}",
    "{{flow.sid}}",
    "{{flow.data.",
    "{{flow.variables.",
    ".Confidence}}",
    ".RecordingUrl}}",
    ".SpeechResult}}",
    ".Digits}}",
    ".status_code}}",
    ".body}}",
    ".parsed.",
    ".inbound.Body}}",
    "{{widgets.",
];

/// Twilio Functions as its documentation writes them.
const FUNCTIONS: &str = "const axios = require('axios');
exports.handler = async function(context, event, callback) {
  const client = context.getTwilioClient();
  const twiml = new Twilio.twiml.VoiceResponse();
  twiml.say('Hello World');
  const response = new Twilio.Response();
  response.appendHeader('Access-Control-Allow-Origin', '*');
  response.appendHeader('Content-Type', 'application/json');
  response.setStatusCode(200);
  response.setBody({ success: true });
  try {
    const result = await axios.get(`https://${context.DOMAIN_NAME}/`);
    console.log(result.data);
    return callback(null, response);
  } catch (error) {
    console.error(error);
    return callback(error);
  }
};
";

/// A widget of `kind` with every property the spec knows.
fn full_widget(flow: &Flow, kind: WidgetType) -> flowpen_flow::State {
    let mut state = edit::new_widget(flow, kind.clone(), Offset { x: 0.0, y: 0.0 });
    for p in widget_spec(&kind).map_or(&[][..], |s| s.props) {
        if state.properties.get(p.key).is_some() {
            continue;
        }
        let value = match p.kind {
            PropKind::KeyValues => Json::Array(vec![edit::key_value("", "")]),
            PropKind::Bool => Json::Bool(false),
            PropKind::Choice(c) => Json::str(p.default.unwrap_or(c[0].0)),
            _ => Json::str(p.default.unwrap_or("")),
        };
        state.properties.set(p.key, value);
    }
    state
}

fn main() {
    let mut flow = edit::new_flow();
    let mut kinds: Vec<WidgetType> = WidgetType::CALL_AND_MORE.to_vec();
    kinds.extend(WidgetType::PALETTE.iter().cloned());
    for kind in kinds {
        let state = full_widget(&flow, kind);
        let at = flow.states.len();
        edit::apply(
            &mut flow,
            edit::Edit::InsertState {
                index: at,
                state: Box::new(state),
            },
        )
        .expect("insert");
    }
    // A split's condition on its input, leading to the Trigger's first widget.
    let split = flow
        .states
        .iter()
        .position(|s| s.kind == WidgetType::SplitBasedOn)
        .expect("a split");
    let input = edit::set_split_input(&flow, split, "{{widgets.send_and_reply_1.inbound.Body}}")
        .expect("input");
    edit::apply(&mut flow, input).expect("input");
    let cond = edit::add_default_condition(&flow, split).expect("condition");
    edit::apply(&mut flow, cond).expect("condition");
    let functions = FunctionsProject {
        functions: vec![FunctionDef {
            path: "/function".into(),
            code: TEMPLATE.into(),
        }],
        env: vec![("API_KEY".into(), String::new())],
    };
    let packed = share::packed_text(ProjectRef::of(&flow, &functions), Options::default());
    let mut out = String::new();
    out.push_str(FUNCTIONS);
    out.push_str(&LIQUID.concat());
    out.push_str(&packed);
    print!("{out}");
}
