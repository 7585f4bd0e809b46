//! End-to-end scenarios of Liaison: the real relay on loopback and several
//! officers' engines. The scenarios are the integration tests in `tests/`.
