//! Unit tests of the demo's parts that need no relay: the cast and its
//! scripts, the exercise authorities, the state file.
#![allow(clippy::unwrap_used)]

mod authority;
mod cast;
mod state;
