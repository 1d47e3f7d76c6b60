//! The execution engine for JavaScript: run a flow that needs no input to its end, for the engine
//! benchmark (`tests/bench/engine.mjs`) in the same runtime as the browser.

use std::rc::Rc;

use flowpen_engine::{Config, Engine, InboundMessage, Trigger};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsError;

/// The generated benchmark flow: `n` widgets after the Trigger (`mixed`: every typed widget;
/// otherwise a Set Variables / Split chain that runs `n + 1` steps without input).
#[wasm_bindgen(js_name = generatedFlow)]
pub fn generated_flow(n: usize, mixed: bool) -> String {
    flowpen_testkit::generated_flow(n, mixed)
}

/// A flow ready to be executed many times with one Liquid service (as the simulator does).
#[wasm_bindgen]
pub struct Runner {
    flow: Flow,
    liquid: Rc<Liquid>,
}

#[wasm_bindgen]
impl Runner {
    /// Imports the flow; throws the import error.
    #[wasm_bindgen(constructor)]
    pub fn new(flow_json: &str) -> Result<Runner, JsError> {
        let flow = Flow::parse(flow_json).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Runner {
            flow,
            liquid: Rc::new(Liquid::studio()),
        })
    }

    /// Starts an execution with an inbound message and returns the number of steps it took until
    /// it waited or ended.
    pub fn run(&self) -> usize {
        let message = InboundMessage {
            from: "+1".into(),
            to: "+2".into(),
            body: "go".into(),
            media_urls: Vec::new(),
        };
        let engine = Engine::start_with(
            self.flow.clone(),
            Trigger::Message(message),
            Config::default(),
            self.liquid.clone(),
            0,
        );
        engine.steps().len()
    }
}
