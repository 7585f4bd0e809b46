//! `liaison channel create|list|show` and `liaison members`: the local side
//! of channels.

use liaison_core::{
    ChannelId, ChannelPolicy, Departure, Engine, HistoryOnRemoval, Label, TrustAnchors,
};

use crate::args::{ChannelArg, ChannelCreateArgs, HistoryArg};
use crate::error::CliError;
use crate::home::anchor_path;
use crate::output::{
    ChannelListView, ChannelRefView, ChannelSummaryView, ChannelView, MemberView, MembersView,
    PolicySummary,
};
use crate::pem_files::{read_certificates, read_crl};
use crate::resolve;
use crate::session::Session;

pub(crate) fn history(arg: HistoryArg) -> HistoryOnRemoval {
    match arg {
        HistoryArg::Keep => HistoryOnRemoval::Keep,
        HistoryArg::Purge => HistoryOnRemoval::Purge,
    }
}

pub(crate) fn parse_label(engine: &Engine, marking: &str) -> Result<Label, CliError> {
    Ok(Label::parse_marking(marking, engine.registry())?)
}

/// The anchors of a new channel: the profile's own authority (when kept)
/// and every certificate of the `--anchor` files, without duplicates; then
/// the intermediates and revocation lists.
fn anchors(session: &Session, args: &ChannelCreateArgs) -> Result<TrustAnchors, CliError> {
    let mut certificates: Vec<Vec<u8>> = Vec::new();
    let own = anchor_path(&session.dir);
    let files = own
        .is_file()
        .then_some(&own)
        .into_iter()
        .chain(&args.anchors);
    for file in files {
        for der in read_certificates(file)? {
            if !certificates.contains(&der) {
                certificates.push(der);
            }
        }
    }
    if certificates.is_empty() {
        return Err(CliError::Usage(
            "a channel needs its partner authorities: give --anchor FILE for each".into(),
        ));
    }
    let mut anchors = TrustAnchors::new(certificates)?;
    for file in &args.intermediates {
        for der in read_certificates(file)? {
            anchors = anchors.with_intermediate(der)?;
        }
    }
    for file in &args.crls {
        anchors = anchors.with_crl(read_crl(file)?)?;
    }
    Ok(anchors)
}

/// `liaison channel create`: the channel exists locally at once; the
/// dispatcher then registers it with the relay.
pub fn create(session: &mut Session, args: &ChannelCreateArgs) -> Result<ChannelView, CliError> {
    let ceiling = parse_label(&session.engine, &args.ceiling)?;
    let default_label = match &args.default_label {
        Some(marking) => parse_label(&session.engine, marking)?,
        None => ceiling.clone(),
    };
    let mut admins = vec![session.engine.officer_id().to_owned()];
    admins.extend(args.admins.iter().cloned());
    let policy = ChannelPolicy::new(
        args.name.clone(),
        ceiling,
        default_label,
        admins,
        anchors(session, args)?,
    )?
    .with_retention(
        (args.retention_days != 0).then_some(args.retention_days),
        history(args.history),
    );
    let channel = session.engine.create_channel(policy)?;
    channel_view(&mut session.engine, &channel)
}

/// The full view of a channel.
pub(crate) fn channel_view(
    engine: &mut Engine,
    channel: &ChannelId,
) -> Result<ChannelView, CliError> {
    let summary = engine
        .channels()?
        .into_iter()
        .find(|c| c.id == *channel)
        .ok_or_else(|| CliError::UnknownChannel(channel.to_hex()))?;
    // A channel we left, or imported, has no usable MLS group: its stored
    // policy is the last one we saw.
    let policy = if summary.active {
        engine.policy(channel)?
    } else {
        engine.stored_policy(channel)?
    };
    let (epoch, members) = if summary.active {
        let members = engine.members(channel)?;
        (
            Some(engine.epoch(channel)?),
            members.iter().map(MemberView::from).collect(),
        )
    } else {
        (None, Vec::new())
    };
    Ok(ChannelView {
        id: channel.to_hex(),
        name: summary.name,
        active: summary.active,
        epoch,
        policy: PolicySummary::from(&policy),
        members,
        delivery: None,
    })
}

/// `liaison channel list`
pub fn list(session: &Session) -> Result<ChannelListView, CliError> {
    Ok(ChannelListView {
        channels: session
            .engine
            .channels()?
            .into_iter()
            .map(|c| ChannelSummaryView {
                id: c.id.to_hex(),
                name: c.name,
                active: c.active,
                archived: c.archived,
                origin: c.origin.as_str().to_owned(),
                departure: c.departure.map(|departure| {
                    match departure {
                        Departure::Left => "left",
                        Departure::Removed => "removed",
                    }
                    .to_owned()
                }),
            })
            .collect(),
    })
}

/// `liaison channel show`
pub fn show(session: &mut Session, args: &ChannelArg) -> Result<ChannelView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    channel_view(&mut session.engine, &channel)
}

/// The id and name of a channel.
pub(crate) fn channel_ref(
    engine: &Engine,
    channel: &ChannelId,
) -> Result<ChannelRefView, CliError> {
    let name = engine
        .channels()?
        .into_iter()
        .find(|c| c.id == *channel)
        .map(|c| c.name)
        .unwrap_or_default();
    Ok(ChannelRefView::new(channel, &name))
}

/// `liaison members`: every member, verified against the channel's
/// partner authorities (a member whose certificate no longer verifies is
/// an error naming them, so an admin can remove them).
pub fn members(session: &mut Session, args: &ChannelArg) -> Result<MembersView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    let members = session.engine.members(&channel)?;
    Ok(MembersView {
        channel: channel_ref(&session.engine, &channel)?,
        members: members.iter().map(MemberView::from).collect(),
    })
}
