//! The Liaison engine.

mod store;

pub use store::{
    AuditEntry, AuditScope, CodecError, DeviceKeySeed, KEYRING_SERVICE, KdfParams, KeyProtection,
    MlsStorage, Passphrase, Profile, Store, StoreCodec, StoreError, StoreProvider, danger,
    delete_keyring_key,
};
