//! Small helpers over `web-sys`: the document, element lookups, downloads, files, localStorage,
//! colour-scheme preference. Failures are quiet (`None`/`false`): the editor keeps working.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, Storage, Window};

pub fn window() -> Option<Window> {
    web_sys::window()
}

pub fn document() -> Option<Document> {
    window().and_then(|w| w.document())
}

/// The first element matching a CSS selector.
pub fn query(selector: &str) -> Option<Element> {
    document()?.query_selector(selector).ok().flatten()
}

pub fn local_storage() -> Option<Storage> {
    window()?.local_storage().ok().flatten()
}

/// Whether the user prefers a dark colour scheme.
pub fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> bool {
    let run = || -> Result<(), JsValue> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let doc = document().ok_or(JsValue::NULL)?;
        let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
        a.set_href(&url);
        a.set_download(name);
        a.set_attribute("style", "display:none")?;
        doc.body().ok_or(JsValue::NULL)?.append_child(&a)?;
        a.click();
        a.remove();
        // Revoke later: the download has started reading the blob by then.
        let revoke = url.clone();
        gloo_timers::callback::Timeout::new(10_000, move || {
            let _ = web_sys::Url::revoke_object_url(&revoke);
        })
        .forget();
        Ok(())
    };
    run().is_ok()
}

/// Reads a file's text, then calls `done` with it (or with an error message).
pub fn read_file(file: web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .map_err(|e| format!("{e:?}"))
            .and_then(|v| v.as_string().ok_or_else(|| "not text".to_owned()));
        done(result);
    });
}

/// Whether an element is a text field (shortcuts that edit text stay with it).
pub fn is_text_field(el: &Element) -> bool {
    let tag = el.tag_name().to_ascii_lowercase();
    match tag.as_str() {
        "textarea" | "select" => true,
        "input" => {
            let kind = el
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            !matches!(
                kind.as_str(),
                "button" | "checkbox" | "radio" | "submit" | "reset" | "file" | "range" | "color"
            )
        }
        _ => el
            .dyn_ref::<HtmlElement>()
            .is_some_and(HtmlElement::is_content_editable),
    }
}

/// The focused element.
pub fn active_element() -> Option<Element> {
    document()?.active_element()
}
