//! The commands: one function per command, thin over `liaison-core`, each
//! returning a view from [`crate::output`]. Networked commands are generic
//! over `liaison_core::DeliveryService`.

pub mod admin;
pub mod archive;
pub mod authority;
pub mod channel;
pub mod demo;
mod identity;
pub mod listen;
pub mod messaging;
pub mod pinning;
pub mod profile;
pub mod sync;
// `liaison demo` will live in `demo.rs` once the relay exists.
