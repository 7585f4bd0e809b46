//! A believable exercise partnership, run on this machine: the desktop
//! app's demo mode and `liaison demo`.
//!
//! [`DemoWorld::start`] brings up, in one data directory, the exercise
//! authorities of GBR, FRA, DEU and USA, the real relay on 127.0.0.1 (its
//! storage and development certificate kept for the next start), partner
//! officers played by bots (each a tokio task with its own engine, real
//! SQLCipher store and relay client) and their partnership channels. A
//! user's officer gets a certificate from [`DemoWorld::issue_officer`];
//! once its app has published key packages, [`DemoWorld::welcome`] has the
//! partner admins add it, and the bots play each channel's history to it.
//! From then on the bots acknowledge FLASH and IMMEDIATE traffic and answer
//! the user's messages at the same label.
//!
//! The building blocks — [`ExerciseAuthority`], [`ExerciseOfficer`],
//! [`LocalRelay`], [`throwaway_profile`] — are what scripted scenarios and
//! tests use to stand up their own partnership. `docs/demo.md` describes
//! the world.

mod authority;
mod bot;
mod cast;
mod error;
mod files;
mod key_package;
mod officer;
mod profile;
mod relay;
mod script;
mod state;
mod world;

#[cfg(test)]
mod tests;

pub use authority::{ExerciseAuthority, trust_anchors};
pub use cast::{COORDINATION_CHANNEL, LIAISON_CHANNEL, LOGISTICS_CHANNEL};
pub use error::DemoError;
pub use officer::ExerciseOfficer;
pub use profile::throwaway_profile;
pub use relay::{LocalRelay, RELAY_NAME, RelaySettings};
pub use world::{DEFAULT_CHATTER, DEFAULT_REPLY_DELAY, DemoConfig, DemoWorld};
