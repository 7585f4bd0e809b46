//! What the webview may do, beyond the CSP and the capabilities.
//!
//! Liaison's window shows text, labels and forms. On Linux wry turns on
//! WebGL, Web Audio and the back-forward page cache for every app: none of
//! it is used here, and each is code reachable from web content, so they
//! are turned off. Accelerated compositing stays at WebKitGTK's default:
//! turning it off saved about 80 MB under a software GL, but then
//! WebKitWebDriver's screenshots hang on an idle page, and the end-to-end
//! test must run the app as shipped (`docs/desktop.md`).

use tauri::{Runtime, WebviewWindow};

/// Applies the restrictions to `window`'s webview. Failing to reach the
/// webview is logged, not fatal: the CSP and capabilities still hold.
pub(crate) fn restrict<R: Runtime>(window: &WebviewWindow<R>) {
    if let Err(error) = window.with_webview(restrict_platform) {
        log::warn!("webview settings not applied: {error}");
    }
}

#[cfg(target_os = "linux")]
fn restrict_platform(webview: tauri::webview::PlatformWebview) {
    use webkit2gtk::{SettingsExt as _, WebViewExt as _};
    let Some(settings) = webview.inner().settings() else {
        log::warn!("webview settings not applied: WebKitGTK gave no settings object");
        return;
    };
    settings.set_enable_webgl(false);
    settings.set_enable_webaudio(false);
    settings.set_enable_page_cache(false);
}

#[cfg(not(target_os = "linux"))]
fn restrict_platform(_webview: tauri::webview::PlatformWebview) {}
