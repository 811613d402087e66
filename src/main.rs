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
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = document.body() else { return };
        if let Ok(banner) = document.create_element("div") {
            banner.set_class_name("panic-banner");
            let _ = banner.set_attribute("role", "alert");
            // Text, never HTML: the message may quote data.
            banner.set_text_content(Some(&format!(
                "Something went wrong in the explorer and it stopped. Please reload the page. Details: {info}"
            )));
            let _ = body.prepend_with_node_1(&banner);
        }
    }));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the browser app. Run it with: bash scripts/serve.sh");
}
