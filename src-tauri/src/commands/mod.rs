//! The Tauri commands: one per entry of `Commands` in
//! `ui/src/lib/api/types.ts`. Each forwards to `liaison_desk::Desk` and
//! returns a view model or an `AppError`.

pub(crate) mod archive;
pub(crate) mod channel;
pub(crate) mod files;
pub(crate) mod session;
pub(crate) mod trust;

include!("names.rs");
