//! The sandbox: Function code cannot reach the app, and the frame survives removal.

use flowpen_web::functions::{FunctionsHost, Runtime};
use wasm_bindgen_test::wasm_bindgen_test;

use super::{form_post, get, json_body, project, run, url, LIMIT_MS};

// --- the sandbox -------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn function_code_cannot_reach_the_apps_storage_cookies_or_dom() {
    // The app has a secret in its storage and its cookies.
    let planted = js_sys::Function::new_no_args(
        "localStorage.setItem('flowpen-secret', 's3cret-value');
         document.cookie = 'flowpen-secret=s3cret-value; path=/';
         return localStorage.getItem('flowpen-secret') + ' ' + document.cookie;",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .ok()
    .and_then(|value| value.as_string())
    .unwrap_or_default();
    assert!(
        planted.matches("s3cret-value").count() >= 2,
        "the app sees its own secret: {planted}"
    );

    let app_url = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_default();
    let functions = project(&[(
        "/probe",
        "exports.handler = async (context, event, callback) => {
           const tries = {};
           const attempt = (name, read) => {
             try { tries[name] = `read: ${String(read())}`; } catch (error) { tries[name] = `blocked: ${error.name}`; }
           };
           attempt('localStorage', () => localStorage.getItem('flowpen-secret'));
           attempt('document.cookie', () => document.cookie);
           attempt('parent.document', () => parent.document.cookie);
           attempt('top.location', () => top.location.href);
           attempt('indexedDB', () => indexedDB.open('flowpen-probe'));
           attempt('cookieStore', () => cookieStore.get('flowpen-secret'));
           try {
             const page = await fetch(event.app, { credentials: 'include' });
             tries.appPage = `read: ${(await page.text()).slice(0, 60)}`;
           } catch (error) { tries.appPage = `blocked: ${error.name}`; }
           tries.origin = self.origin;
           callback(null, tries);
         };",
    )]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    let request = form_post(&url("/probe"), &[("app".to_owned(), app_url)]);
    let call = host.invoke(&functions, &request, LIMIT_MS).await;
    let tries = json_body(&call.response);
    assert!(
        !call.response.body.contains("s3cret-value"),
        "{}",
        call.response.body
    );
    assert_eq!(tries["origin"], "null", "the worker's origin is opaque");
    let attempts = tries
        .as_object()
        .map(|object| object.len())
        .unwrap_or_default();
    assert_eq!(attempts, 8, "{tries}");
    for (name, outcome) in tries.as_object().into_iter().flatten() {
        if name != "origin" {
            let outcome = outcome.as_str().unwrap_or_default();
            assert!(outcome.starts_with("blocked: "), "{name}: {outcome}");
        }
    }

    // The frame itself: scripts only, and cross-origin to the app (its document is unreachable).
    let frame = host.frame().expect("the call created the sandbox frame");
    assert_eq!(
        frame.get_attribute("sandbox").as_deref(),
        Some("allow-scripts")
    );
    assert!(
        frame.content_document().is_none(),
        "the sandbox's document is not the app's"
    );
    assert!(frame.is_connected());

    // Dropping the host removes its frame.
    drop(host);
    assert!(!frame.is_connected());
    let still_there =
        js_sys::Function::new_no_args("return localStorage.getItem('flowpen-secret');")
            .call0(&wasm_bindgen::JsValue::NULL)
            .ok()
            .and_then(|value| value.as_string());
    assert_eq!(still_there.as_deref(), Some("s3cret-value"));
}

#[wasm_bindgen_test]
async fn a_removed_frame_is_recreated_and_calls_can_overlap() {
    let functions = project(&[(
        "/slow",
        "exports.handler = (context, event, callback) => setTimeout(() => callback(null, event.n), 50);",
    )]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    let first = get(&host, &functions, "/slow?n=0").await;
    assert_eq!(first.response.body, "0");
    let frame = host.frame().expect("a frame");
    frame.remove();

    // Three calls at once, each in its own worker, each answered with its own event.
    let calls = (1..=3).map(|n| {
        let host = host.clone();
        let functions = functions.clone();
        async move { get(&host, &functions, &format!("/slow?n={n}")).await }
    });
    let mut answers = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        answers.push(wasm_bindgen_futures::JsFuture::from(
            wasm_bindgen_futures::future_to_promise(async move {
                Ok(wasm_bindgen::JsValue::from_str(&call.await.response.body))
            }),
        ));
    }
    let mut bodies = Vec::new();
    for answer in answers {
        bodies.push(
            answer
                .await
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default(),
        );
    }
    assert_eq!(bodies, ["1", "2", "3"]);
    let new_frame = host.frame().expect("a new frame");
    assert!(new_frame.is_connected() && !frame.is_connected());
}

// --- output past the limits: the frame's limits are the rule, not the worker's ----------------------

#[wasm_bindgen_test]
async fn a_function_posting_hundreds_of_megabytes_is_stopped_with_an_explanation() {
    let answer = run("exports.handler = (context, event, callback) => {
           self.postMessage('x'.repeat(200 * 1024 * 1024));
           callback(null, 'never sent');
         };")
    .await;
    assert_eq!(answer.response.status, 500, "{}", answer.response.body);
    assert!(
        answer.response.body.contains("209715200 characters"),
        "{}",
        answer.response.body
    );
    assert!(answer
        .logs
        .iter()
        .any(|l| l.level == "error" && l.text.contains("stopped it")));
}

#[wasm_bindgen_test]
async fn flooding_log_messages_are_dropped_with_a_note() {
    let answer = run(
        "exports.handler = (context, event, callback) => {
           const line = JSON.stringify({ type: 'log', level: 'log', text: 'y'.repeat(60000) });
           for (let i = 0; i < 2000; i++) self.postMessage(line);
           self.postMessage(JSON.stringify({ type: 'log', level: 'log', text: 'z'.repeat(500000) }));
           callback(null, 'done');
         };",
    )
    .await;
    assert_eq!(answer.response.status, 200);
    assert_eq!(answer.response.body, "done");
    let chars: usize = answer.logs.iter().map(|l| l.text.len()).sum();
    assert!(chars <= 2 * 1024 * 1024, "{chars} characters of log");
    assert!(
        answer
            .logs
            .iter()
            .any(|l| l.level == "warn" && l.text.contains("was dropped")),
        "{:?}",
        answer
            .logs
            .iter()
            .map(|l| &l.text[..l.text.len().min(80)])
            .collect::<Vec<_>>()
    );
}

#[wasm_bindgen_test]
async fn a_function_posting_objects_is_stopped() {
    let answer = run("exports.handler = (context, event, callback) => {
           self.postMessage({ big: new ArrayBuffer(64 * 1024 * 1024) });
           callback(null, 'never sent');
         };")
    .await;
    assert_eq!(answer.response.status, 500);
    assert!(
        answer.response.body.contains("not text"),
        "{}",
        answer.response.body
    );
}

/// The app's host fetches the sandbox's scripts from the app's files. The test runner's server
/// has none, so the call fails with a 500 that says which file could not be loaded, and no
/// sandbox is created.
#[wasm_bindgen_test]
async fn a_runtime_that_cannot_be_fetched_fails_the_call_and_says_why() {
    let host = FunctionsHost::new();
    let functions = project(&[(
        "/f",
        "exports.handler = (c, e, callback) => callback(null, 'ran');",
    )]);
    let call = get(&host, &functions, "/f").await;
    assert_eq!(call.response.status, 500);
    assert!(
        call.response
            .body
            .contains("the Functions runtime could not be loaded (functions/worker.js)"),
        "{}",
        call.response.body
    );
    assert!(
        call.logs
            .iter()
            .any(|l| l.level == "error" && l.text.contains("functions/worker.js")),
        "{:?}",
        call.logs
    );
    assert!(host.frame().is_none(), "no sandbox without its scripts");
}
