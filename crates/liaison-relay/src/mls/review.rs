//! The relay's own checks on handshake messages, mirroring the rules every
//! client applies (only admins add, remove others or change the policy; a
//! standalone proposal may only be a member's own removal), so that an
//! obviously invalid commit is refused before it can fork the group.
//! Clients still check everything themselves.

use liaison_proto::PolicyWire;
use openmls::prelude::{LeafNodeIndex, Proposal, QueuedProposal, Sender, StagedCommit};

use crate::error::Error;

/// A proposal sent on its own must be its sender's own removal (leaving).
pub(crate) fn standalone_proposal(
    queued: &QueuedProposal,
    sender: LeafNodeIndex,
) -> Result<(), Error> {
    match queued.proposal() {
        Proposal::Remove(remove) if remove.removed() == sender => Ok(()),
        Proposal::SelfRemove => Ok(()),
        _ => Err(Error::forbidden(
            "only a member's own removal may be proposed on its own; other changes come in an admin's commit",
        )),
    }
}

/// Checks a commit against the policy in force before it.
pub(crate) fn commit(
    before: &PolicyWire,
    after: &PolicyWire,
    committer: &str,
    staged: &StagedCommit,
) -> Result<(), Error> {
    let admin = before.is_admin(committer);
    let require_admin = |action: &str| {
        if admin {
            Ok(())
        } else {
            Err(Error::forbidden(format!(
                "only an admin of the channel policy may {action}"
            )))
        }
    };
    if before != after {
        require_admin("change the channel policy")?;
    }
    for queued in staged.queued_proposals() {
        let proposer = match queued.sender() {
            Sender::Member(index) => *index,
            _ => return Err(Error::forbidden("external proposals are not accepted")),
        };
        match queued.proposal() {
            Proposal::Add(_) => require_admin("add members")?,
            Proposal::Remove(remove) => {
                if remove.removed() != proposer {
                    require_admin("remove other members")?;
                }
            }
            Proposal::SelfRemove | Proposal::Update(_) => {}
            Proposal::GroupContextExtensions(_) => require_admin("change the channel policy")?,
            _ => {
                return Err(Error::forbidden(
                    "this kind of proposal is not allowed in a channel",
                ));
            }
        }
    }
    Ok(())
}
