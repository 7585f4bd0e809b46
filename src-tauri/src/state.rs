//! What the shell keeps between commands: the desk, and in demo mode the
//! demo world that issues certificates and plays the partner officers.

use std::sync::Arc;

use liaison_desk::Desk;

/// Called with the officer id of a newly created profile.
type ProfileHook = Box<dyn Fn(&str) + Send + Sync>;

/// Tauri managed state.
pub struct DeskState {
    desk: Arc<Desk>,
    on_profile: Option<ProfileHook>,
}

impl DeskState {
    /// State over a desk.
    pub fn new(desk: Arc<Desk>) -> Self {
        Self {
            desk,
            on_profile: None,
        }
    }

    /// Calls `hook` with the officer id once a profile is created (demo
    /// mode: the partners then add the user to their channels).
    pub fn on_profile_created(mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_profile = Some(Box::new(hook));
        self
    }

    /// The desk.
    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    /// A shared handle on the desk.
    pub fn desk_handle(&self) -> Arc<Desk> {
        Arc::clone(&self.desk)
    }

    pub(crate) fn profile_ready(&self, officer_id: &str) {
        if let Some(hook) = &self.on_profile {
            hook(officer_id);
        }
    }
}
