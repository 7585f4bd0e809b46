#!/usr/bin/python3
"""The desktop benchmark's baseline: a bare WebKitGTK window.

The same WebKitGTK as the app, in a 1280x800 window, with the settings
Liaison's webview runs with (src-tauri/src/webview.rs: no WebGL, Web Audio
or page cache; compositing as the environment says, so
WEBKIT_DISABLE_COMPOSITING_MODE=1 applies to both), showing one line of
text. Its
process tree's memory is what any app built on this webview pays before it
does anything; bench.mjs measures it in the same run as the app. Prints
"ready" once the page has loaded, then runs until terminated.
"""

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

PAGE = "<!doctype html><html lang=en><title>baseline</title><p>A bare webview.</p></html>"


def on_load(_view, event):
    if event == WebKit2.LoadEvent.FINISHED:
        print("ready", flush=True)


def main():
    window = Gtk.Window(title="baseline")
    window.set_default_size(1280, 800)
    view = WebKit2.WebView()
    settings = view.get_settings()
    settings.set_enable_webgl(False)
    settings.set_enable_webaudio(False)
    settings.set_enable_page_cache(False)
    view.connect("load-changed", on_load)
    view.load_html(PAGE, "about:blank")
    window.add(view)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
