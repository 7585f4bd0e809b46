//! `liaison send`, `messages list|read`, `ack` and `audit`: the local side
//! of messaging (the dispatcher delivers what they queue).

use liaison_core::{
    AuditScope, ChannelId, Draft, Engine, Label, MessageId, Precedence, ReferenceKind,
    StoredMessage, TrafficKind,
};

use super::channel::{channel_ref, parse_label};
use crate::args::{AckArgs, AuditArgs, ListArgs, PrecedenceArg, ReadArgs, SendArgs};
use crate::error::CliError;
use crate::output::{
    AckResultView, AuditEntryView, AuditView, DeliveryView, ForkView, GapView, MessageView,
    MessagesView, SentView, banner,
};
use crate::resolve;
use crate::session::Session;

fn precedence(arg: PrecedenceArg) -> Precedence {
    match arg {
        PrecedenceArg::Routine => Precedence::Routine,
        PrecedenceArg::Priority => Precedence::Priority,
        PrecedenceArg::Immediate => Precedence::Immediate,
        PrecedenceArg::Flash => Precedence::Flash,
    }
}

/// `liaison send`, local step: checks the label rules, encrypts, stores our
/// copy and queues the message. `body` is the text (already read from
/// standard input when the argument was "-").
pub fn send(session: &mut Session, args: &SendArgs, body: String) -> Result<SentView, CliError> {
    let engine = &mut session.engine;
    let channel = resolve::channel(engine, &args.channel)?;
    let label = args
        .label
        .as_deref()
        .map(|m| parse_label(engine, m))
        .transpose()?;
    let reference = match (&args.reply_to, &args.quote, &args.forward) {
        (Some(id), _, _) => Some((
            ReferenceKind::Reply,
            resolve::message(engine, std::slice::from_ref(&channel), id)?,
        )),
        (_, Some(id), _) => Some((
            ReferenceKind::Quote,
            resolve::message(engine, std::slice::from_ref(&channel), id)?,
        )),
        (_, _, Some(id)) => Some((
            ReferenceKind::Forward,
            resolve::message(engine, &resolve::all_channels(engine)?, id)?,
        )),
        _ => None,
    };
    let draft = Draft {
        label,
        precedence: precedence(args.precedence),
        kind: if args.exercise {
            TrafficKind::Exercise
        } else {
            TrafficKind::Operation
        },
        body,
        reference,
    };
    let id = engine.send(&channel, draft)?;
    let sent = find(engine, &channel, id)?;
    Ok(SentView {
        channel: channel_ref(engine, &channel)?,
        message_id: id.to_hex(),
        label: sent.label.marking(),
        portion_marking: sent.portion_marking.clone(),
        precedence: sent.precedence.as_str().to_owned(),
        kind: sent.kind.as_str().to_owned(),
        delivery: DeliveryView::offline(),
    })
}

fn find(engine: &Engine, channel: &ChannelId, id: MessageId) -> Result<StoredMessage, CliError> {
    engine
        .messages(channel)?
        .into_iter()
        .rev()
        .find(|m| m.message_id == id)
        .ok_or_else(|| CliError::UnknownMessage(id.to_hex()))
}

/// Views of stored messages, with acknowledgements and whether each waits
/// for ours.
pub(crate) fn message_views(
    engine: &Engine,
    channel: &ChannelId,
    messages: &[StoredMessage],
) -> Result<Vec<MessageView>, CliError> {
    let awaiting = engine.awaiting_acknowledgement(channel)?;
    messages
        .iter()
        .map(|m| {
            let acks = engine.acknowledgements(channel, m.message_id)?;
            Ok(MessageView::new(
                m,
                engine.officer_id(),
                &acks,
                awaiting.contains(&m.message_id),
            ))
        })
        .collect()
}

fn messages_view(
    session: &mut Session,
    channel: &ChannelId,
    messages: &[StoredMessage],
) -> Result<MessagesView, CliError> {
    // Reading history must work for a channel we left, so a policy that no
    // longer loads only loses the ceiling fallback of the banner.
    let ceiling: Option<Label> = session
        .engine
        .policy(channel)
        .or_else(|_| session.engine.stored_policy(channel))
        .ok()
        .map(|p| p.ceiling().clone());
    let labels: Vec<&Label> = messages.iter().map(|m| &m.label).collect();
    let banner = match &ceiling {
        Some(ceiling) => banner(&labels, ceiling),
        None => labels
            .iter()
            .max_by_key(|l| l.rank())
            .map(|l| l.marking())
            .unwrap_or_default(),
    };
    let channel_ref = channel_ref(&session.engine, channel)?;
    let fork = session.engine.fork(channel)?.map(|fork| ForkView {
        channel: channel_ref.clone(),
        epoch: fork.epoch,
        requested: fork.requested,
    });
    let gaps = session
        .engine
        .gaps(channel)?
        .iter()
        .map(|gap| GapView::new(channel_ref.clone(), gap))
        .collect();
    Ok(MessagesView {
        channel: channel_ref,
        banner,
        messages: message_views(&session.engine, channel, messages)?,
        fork,
        gaps,
    })
}

/// `liaison messages list`
pub fn list(session: &mut Session, args: &ListArgs) -> Result<MessagesView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    let mut messages = session.engine.messages(&channel)?;
    if args.awaiting_ack {
        let awaiting = session.engine.awaiting_acknowledgement(&channel)?;
        messages.retain(|m| awaiting.contains(&m.message_id));
    }
    if let Some(limit) = args.limit {
        let skip = messages.len().saturating_sub(limit);
        messages.drain(..skip);
    }
    messages_view(session, &channel, &messages)
}

/// `liaison messages read`
pub fn read(session: &mut Session, args: &ReadArgs) -> Result<MessagesView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    let id = resolve::message(
        &session.engine,
        std::slice::from_ref(&channel),
        &args.message,
    )?;
    let message = find(&session.engine, &channel, id)?;
    messages_view(session, &channel, &[message])
}

/// `liaison ack`, local step: records and queues acknowledgements.
pub fn ack(session: &mut Session, args: &AckArgs) -> Result<AckResultView, CliError> {
    let engine = &mut session.engine;
    let channel = resolve::channel(engine, &args.channel)?;
    let ids = if args.all {
        engine.awaiting_acknowledgement(&channel)?
    } else {
        args.messages
            .iter()
            .map(|text| resolve::message(engine, std::slice::from_ref(&channel), text))
            .collect::<Result<Vec<_>, _>>()?
    };
    for id in &ids {
        engine.acknowledge(&channel, *id)?;
    }
    Ok(AckResultView {
        channel: channel_ref(engine, &channel)?,
        acknowledged: ids.iter().map(MessageId::to_hex).collect(),
        delivery: DeliveryView::offline(),
    })
}

/// `liaison audit`: the profile's audit log, newest first.
pub fn audit(session: &Session, args: &AuditArgs) -> Result<AuditView, CliError> {
    let channel = args
        .channel
        .as_deref()
        .map(|c| resolve::channel(&session.engine, c))
        .transpose()?;
    let scope = match &channel {
        Some(channel) => AuditScope::Group(&channel.0),
        None => AuditScope::All,
    };
    let entries = session
        .engine
        .store()
        .audit_log(scope, args.before, args.limit)?;
    Ok(AuditView {
        entries: entries.iter().map(AuditEntryView::from).collect(),
    })
}
