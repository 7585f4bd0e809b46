//! The Liaison engine.
