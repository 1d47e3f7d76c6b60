//! Entry point of the browser app: mounts [`flowpen_web::App`] into the page.

fn main() {
    yew::Renderer::<flowpen_web::App>::new().render();
}
