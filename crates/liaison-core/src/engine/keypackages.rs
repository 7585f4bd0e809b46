//! Key packages: what others need to add this officer to a channel.

use openmls::prelude::{KeyPackage, MlsMessageOut};
use openmls_traits::OpenMlsProvider as _;
use tls_codec::Serialize as _;

use super::{Engine, txn};
use crate::channel::{CIPHERSUITE, EngineError, capabilities};
use crate::store::tables::key_packages;

impl Engine {
    /// Generates `count` one-time key packages, plus one last-resort package
    /// when `last_resort` is set, and returns them serialised as MLS
    /// messages ready for the delivery service's directory.
    pub fn generate_key_packages(
        &mut self,
        count: usize,
        last_resort: bool,
    ) -> Result<Vec<Vec<u8>>, EngineError> {
        txn::begin(self.store.connection(), "key_packages")?;
        let result = (|| {
            let provider = self.store.mls_provider();
            let mut out = Vec::with_capacity(count + usize::from(last_resort));
            for index in 0..count + usize::from(last_resort) {
                let mut builder = KeyPackage::builder().leaf_node_capabilities(capabilities());
                let is_last_resort = last_resort && index == count;
                if is_last_resort {
                    builder = builder.mark_as_last_resort();
                }
                let bundle = builder
                    .build(
                        CIPHERSUITE,
                        &provider,
                        &self.signer,
                        self.credential.clone(),
                    )
                    .map_err(|e| EngineError::mls("building key package", e))?;
                let key_package = bundle.key_package().clone();
                let hash_ref = key_package
                    .hash_ref(provider.crypto())
                    .map_err(|e| EngineError::mls("hashing key package", e))?;
                key_packages::insert(
                    self.store.connection(),
                    hash_ref.as_slice(),
                    is_last_resort,
                    self.now_ms(),
                )?;
                let message = MlsMessageOut::from(key_package)
                    .tls_serialize_detached()
                    .map_err(|e| EngineError::mls("serialising key package", e))?;
                out.push(message);
            }
            Ok(out)
        })();
        txn::finish(self.store.connection(), "key_packages", result)
    }
}
