//! `liaison`, the headless Liaison client: everything an officer, a channel
//! admin or an exercise authority does, from a shell or a script.
//!
//! The crate is a thin shell over `liaison-core`:
//!
//! - [`args`] is the command line as clap parses it (plain data);
//! - [`commands`] are the operations, one function per command, each
//!   returning a view from [`output`] that renders as text or JSON;
//! - [`run`] dispatches a parsed command to its function, connecting to the
//!   delivery service through a [`Connector`] when the command needs one;
//! - [`relay`] is the one place the binary's delivery service is chosen.
//!
//! Exit codes are [`ExitStatus`]; `docs/cli.md` documents every command, its
//! JSON output and the exit codes.

pub mod args;
pub mod commands;
mod context;
mod error;
pub mod home;
pub mod output;
mod pem_files;
pub mod relay;
mod resolve;
pub mod run;
mod session;
mod time_text;

pub use context::{Context, PassphraseSource};
pub use error::{CliError, ExitStatus};
pub use relay::{Connector, Relay, RelayConnector};
pub use session::Session;
