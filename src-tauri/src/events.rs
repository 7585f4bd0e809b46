//! Forwarding the desk's events to the window, and desktop notifications.
//!
//! A notification names the sender, the channel, the precedence and the
//! portion marking; it shows the text only when the user turned
//! `notificationsShowContent` on, and only while the window is not focused.

use std::sync::{Arc, OnceLock};

use liaison_desk::{Desk, DeskEvent, EventSink, Notice};
use tauri::{AppHandle, Emitter as _, Manager as _, Runtime};
use tauri_plugin_notification::NotificationExt as _;

/// Where the desk's events go once the app exists.
pub struct EventBridge<R: Runtime> {
    app: OnceLock<AppHandle<R>>,
    desk: OnceLock<Arc<Desk>>,
    notify: bool,
}

impl<R: Runtime> EventBridge<R> {
    /// A bridge; `notify` enables desktop notifications.
    pub fn new(notify: bool) -> Arc<Self> {
        Arc::new(Self {
            app: OnceLock::new(),
            desk: OnceLock::new(),
            notify,
        })
    }

    /// Connects the bridge to the app and the desk (events before this are dropped).
    pub fn attach(&self, app: AppHandle<R>, desk: Arc<Desk>) {
        let _ = self.app.set(app);
        let _ = self.desk.set(desk);
    }

    /// The sink to put in the desk's configuration.
    pub fn sink(self: &Arc<Self>) -> EventSink {
        let bridge = Arc::clone(self);
        Arc::new(move |event| bridge.forward(&event))
    }

    fn forward(&self, event: &DeskEvent) {
        let Some(app) = self.app.get() else {
            return;
        };
        if let Err(error) = app.emit(event.name(), event.payload()) {
            log::warn!("emitting {}: {error}", event.name());
        }
        if let DeskEvent::Messages {
            notice: Some(notice),
            ..
        } = event
        {
            self.notify(app, notice);
        }
    }

    fn notify(&self, app: &AppHandle<R>, notice: &Notice) {
        if !self.notify {
            return;
        }
        let focused = app
            .get_webview_window("main")
            .and_then(|window| window.is_focused().ok())
            .unwrap_or(false);
        if focused {
            return;
        }
        let show_content = self
            .desk
            .get()
            .and_then(|desk| desk.settings().ok())
            .is_some_and(|settings| settings.notifications_show_content);
        let (title, body) = notification_text(notice, show_content);
        if let Err(error) = app.notification().builder().title(title).body(body).show() {
            log::warn!("showing a notification: {error}");
        }
    }
}

/// Title and body of a notification; the text only with `show_content`.
pub fn notification_text(notice: &Notice, show_content: bool) -> (String, String) {
    let precedence = match notice.precedence {
        liaison_desk::views::PrecedenceView::Routine => "",
        liaison_desk::views::PrecedenceView::Priority => "PRIORITY ",
        liaison_desk::views::PrecedenceView::Immediate => "IMMEDIATE ",
        liaison_desk::views::PrecedenceView::Flash => "FLASH ",
    };
    let exercise = if notice.exercise { "EXERCISE " } else { "" };
    let title = format!(
        "{exercise}{precedence}{} — {}",
        notice.sender_name, notice.channel_name
    );
    let body = if show_content {
        format!("{} {}", notice.portion, notice.body)
    } else {
        format!("{} New message", notice.portion)
    };
    (title, body)
}
