//! The browser entry point: installs the panic hook, then mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    install_panic_hook();
    leptos::mount::mount_to_body(cqc_explorer::app::App);
}

/// A panic shows a readable error in the page as well as the console, never a blank page.
#[cfg(target_arch = "wasm32")]
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        cqc_explorer::app::show_fatal_error(&info.to_string());
    }));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the browser app. Run it with: bash scripts/serve.sh");
}
