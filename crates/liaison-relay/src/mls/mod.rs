//! What the relay reads of MLS: key packages (whose they are), Welcomes
//! (whom they are for), and each group's public state, which openmls's
//! `PublicGroup` keeps from the creator's GroupInfo and every commit. The
//! relay never holds a group secret.

mod group;
mod keypackage;

pub(crate) use group::{LoadedGroup, Processed, Rulebook, refused};
pub(crate) use keypackage::{
    key_package_chain, leaf_identity, parse_key_package, welcome_key_packages,
};

use liaison_identity::TrustAnchors;
use liaison_proto::POLICY_EXTENSION_TYPE;
use liaison_proto::PolicyWire;
use liaison_rules::ChannelPolicy;
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

/// Every partner authority a channel policy names must be one this relay
/// trusts: a channel may not bring in an authority of its own making (a
/// look-alike "GBR" root, say) that the relay's operator never accepted.
pub(crate) fn anchors_trusted(policy: &ChannelPolicy, trust: &TrustAnchors) -> Result<(), Error> {
    let untrusted = policy
        .anchors()
        .anchors()
        .iter()
        .filter(|der| !trust.anchors().contains(der))
        .count();
    if untrusted == 0 {
        Ok(())
    } else {
        Err(Error::forbidden(format!(
            "the channel policy names {untrusted} partner authorities this relay does not trust"
        )))
    }
}
