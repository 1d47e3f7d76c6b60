//! Entry point of the browser app: installs the panic overlay, then mounts [`flowpen_web::App`].

fn main() {
    flowpen_web::panic::install();
    yew::Renderer::<flowpen_web::App>::new().render();
}
