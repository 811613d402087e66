//! The browser entry point: installs the panic hook, then mounts the app (in the next task).

#[cfg(target_arch = "wasm32")]
fn main() {
    install_panic_hook();
    // Drawn in a task of its own, after the one that compiled and started the code: together
    // they were a cold start's longest task (50-75 ms on a busy 2-core machine).
    wasm_bindgen_futures::spawn_local(async {
        gloo::timers::future::TimeoutFuture::new(0).await;
        leptos::mount::mount_to_body(cqc_explorer::app::App);
    });
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
