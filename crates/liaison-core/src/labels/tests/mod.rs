//! Tests of the labels module.
