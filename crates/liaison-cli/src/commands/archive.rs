//! `liaison search`, `channel archive`, `export` and `import`: offline
//! history, thin over `liaison_core::archive`.

use std::collections::HashMap;
use std::path::Path;

use liaison_core::{
    ArchiveProtection, CertificateChain, ChannelId, ChannelOrigin, ExportRequest, Fingerprint,
    ImportRequest, MessageId, Passphrase, SearchOrder, SearchQuery,
};

use super::channel::channel_ref;
use crate::args::{ChannelArg, ExportArgs, ImportArgs, OrderArg, SearchArgs};
use crate::context::{Context, PassphraseSource};
use crate::error::CliError;
use crate::output::{
    ArchivedView, ChannelRefView, ExportView, ImportView, MessageView, SearchHitView, SearchView,
};
use crate::pem_files::read_certificates;
use crate::resolve;
use crate::session::Session;
use crate::time_text::parse_time;

fn precedence(arg: crate::args::PrecedenceArg) -> liaison_core::Precedence {
    use crate::args::PrecedenceArg as P;
    use liaison_core::Precedence;
    match arg {
        P::Routine => Precedence::Routine,
        P::Priority => Precedence::Priority,
        P::Immediate => Precedence::Immediate,
        P::Flash => Precedence::Flash,
    }
}

fn range(from: Option<&str>, to: Option<&str>) -> Result<(Option<u64>, Option<u64>), CliError> {
    Ok((
        from.map(|t| parse_time(t, false)).transpose()?,
        to.map(|t| parse_time(t, true)).transpose()?,
    ))
}

/// `liaison search`
pub fn search(session: &Session, args: &SearchArgs) -> Result<SearchView, CliError> {
    let engine = &session.engine;
    let mut query = SearchQuery::new(&args.text)?
        .with_limit(args.limit)?
        .with_order(match args.order {
            OrderArg::Relevance => SearchOrder::Relevance,
            OrderArg::Recency => SearchOrder::Recency,
        });
    if let Some(channel) = &args.channel {
        query = query.with_channel(resolve::channel(engine, channel)?);
    }
    if let Some(sender) = &args.sender {
        query = query.with_sender(sender.clone());
    }
    if let Some(name) = &args.classification {
        query = query.with_classification(name.clone());
    }
    if let Some(p) = args.precedence {
        query = query.with_precedence(precedence(p));
    }
    let (from, to) = range(args.from.as_deref(), args.to.as_deref())?;
    query = query.with_sent_between(from, to)?;
    let results = engine.search(&query)?;
    // Per channel, once: which messages wait for our acknowledgement.
    let mut awaiting: HashMap<ChannelId, Vec<MessageId>> = HashMap::new();
    let mut hits = Vec::with_capacity(results.hits.len());
    for hit in &results.hits {
        let waiting = match hit.channel_origin {
            ChannelOrigin::Imported => false,
            ChannelOrigin::Live => {
                if !awaiting.contains_key(&hit.channel) {
                    let ids = engine.awaiting_acknowledgement(&hit.channel)?;
                    awaiting.insert(hit.channel.clone(), ids);
                }
                awaiting
                    .get(&hit.channel)
                    .is_some_and(|ids| ids.contains(&hit.message.message_id))
            }
        };
        let acks = engine.acknowledgements(&hit.channel, hit.message.message_id)?;
        hits.push(SearchHitView {
            channel: ChannelRefView::new(&hit.channel, &hit.channel_name),
            origin: hit.channel_origin.as_str().to_owned(),
            message: MessageView::new(&hit.message, engine.officer_id(), &acks, waiting),
            snippet: hit.snippet.clone(),
        });
    }
    Ok(SearchView {
        banner: results
            .highest
            .as_ref()
            .map(|l| l.marking())
            .unwrap_or_default(),
        order: match args.order {
            OrderArg::Relevance => "relevance",
            OrderArg::Recency => "recency",
        }
        .to_owned(),
        hits,
    })
}

/// `liaison channel archive`
pub fn archive(session: &mut Session, args: &ChannelArg) -> Result<ArchivedView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    session.engine.archive_channel(&channel)?;
    Ok(ArchivedView {
        channel: channel_ref(&session.engine, &channel)?,
        archived: true,
    })
}

/// The archive passphrase: the command's file, else the context's source.
fn archive_passphrase(ctx: &Context, file: Option<&Path>) -> Result<Option<Passphrase>, CliError> {
    match (file, &ctx.archive_passphrase) {
        (Some(path), _) => PassphraseSource::File(path.to_owned()).read().map(Some),
        (None, Some(source)) => source.read().map(Some),
        (None, None) => Ok(None),
    }
}

/// `liaison export`
pub fn export(ctx: &Context, session: &Session, args: &ExportArgs) -> Result<ExportView, CliError> {
    let engine = &session.engine;
    let channel = resolve::channel(engine, &args.channel)?;
    let (from_ms, to_ms) = range(args.from.as_deref(), args.to.as_deref())?;
    let (protection, recipient) = match &args.recipient {
        Some(path) => {
            let chain = CertificateChain::from_der(read_certificates(path)?)?;
            let fingerprint = Fingerprint::of(chain.leaf()).to_string();
            (ArchiveProtection::Certificate(chain), Some(fingerprint))
        }
        None => {
            let passphrase = archive_passphrase(ctx, args.archive_passphrase_file.as_deref())?
                .ok_or_else(|| {
                    CliError::Usage(
                        "an archive needs a recipient (--for CHAIN.pem) or a passphrase \
                         (--archive-passphrase-file FILE or LIAISON_ARCHIVE_PASSPHRASE)"
                            .into(),
                    )
                })?;
            (
                ArchiveProtection::Passphrase {
                    passphrase,
                    params: ctx.kdf,
                },
                None,
            )
        }
    };
    let report = engine.export_archive(
        &ExportRequest {
            channel: channel.clone(),
            from_ms,
            to_ms,
            path: args.out.clone(),
            protection,
        },
        &mut |_| {},
    )?;
    Ok(ExportView {
        channel: channel_ref(engine, &channel)?,
        messages: report.messages,
        bytes: report.bytes,
        file: report.path.display().to_string(),
        protection: if recipient.is_some() {
            "certificate"
        } else {
            "passphrase"
        }
        .to_owned(),
        recipient,
    })
}

/// `liaison import`
pub fn import(
    ctx: &Context,
    session: &mut Session,
    args: &ImportArgs,
) -> Result<ImportView, CliError> {
    let passphrase = archive_passphrase(ctx, args.archive_passphrase_file.as_deref())?;
    let report = session.engine.import_archive(
        &ImportRequest {
            path: args.file.clone(),
            passphrase,
        },
        &mut |_| {},
    )?;
    Ok(ImportView {
        channel: ChannelRefView::new(&report.channel, &report.channel_name),
        archive_id: report.archive_id,
        exported_by: report.exported_by,
        messages: report.messages,
        verified: report.verified,
        unverified: report.unverified,
        tampered: report.tampered,
    })
}
