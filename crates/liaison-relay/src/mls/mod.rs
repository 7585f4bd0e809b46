//! What the relay reads of MLS: key packages (whose they are), Welcomes
//! (whom they are for), and each group's public state, which openmls's
//! `PublicGroup` keeps from the creator's GroupInfo and every commit. The
//! relay never holds a group secret.

mod group;
mod keypackage;
mod review;

pub(crate) use group::{LoadedGroup, Processed};
pub(crate) use keypackage::{
    key_package_chain, leaf_identity, parse_key_package, welcome_key_packages,
};

use liaison_proto::POLICY_EXTENSION_TYPE;
use liaison_proto::PolicyWire;
use openmls::prelude::{Extensions, GroupContext};

use crate::error::Error;

/// The channel policy carried in a group context, decoded (layout only).
pub(crate) fn policy_of(extensions: &Extensions<GroupContext>) -> Result<PolicyWire, Error> {
    let bytes = extensions
        .unknown(POLICY_EXTENSION_TYPE)
        .map(|ext| ext.0.as_slice())
        .ok_or_else(|| Error::malformed("the group context carries no channel policy"))?;
    PolicyWire::decode(bytes).map_err(|e| Error::malformed(format!("channel policy: {e}")))
}
