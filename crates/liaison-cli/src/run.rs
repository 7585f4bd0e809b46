//! Dispatch: a parsed command to its function, its result to the output.
//! The only place that opens the profile, reaches the relay and writes.

use std::future::Future;
use std::io::{Read as _, Write};

use crate::args::{AuthorityCommand, ChannelCommand, Command, MessagesCommand, ProfileCommand};
use crate::commands::{
    self, admin, archive, authority, channel, listen, messaging, pinning, profile, sync,
};
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::output::{DeliveryView, LeaveView, emit};
use crate::relay::Connector;
use crate::session::Session;

/// Largest message text read from standard input.
const MAX_STDIN_BODY: u64 = 1024 * 1024;

/// Runs one command and writes its result (JSON when `json`). `stop` ends
/// `listen` (the binary passes Ctrl-C). Returns the exit status of a
/// command that ran; an error is the caller's to report.
pub async fn execute<C: Connector>(
    ctx: &Context,
    json: bool,
    command: &Command,
    connector: &C,
    out: &mut dyn Write,
    stop: impl Future<Output = ()>,
) -> Result<ExitStatus, CliError> {
    match command {
        Command::Profile(command) => profile_command(ctx, json, command, out),
        Command::Authority(command) => authority_command(ctx, json, command, out),
        Command::Channel(command) => channel_command(ctx, json, command, connector, out).await,
        Command::Send(args) => {
            let body = read_body(&args.body)?;
            let mut session = Session::open(ctx)?;
            let mut view = messaging::send(&mut session, args, body)?;
            view.delivery = deliver(ctx, connector, &mut session).await?;
            emit(&view, json, out)
        }
        Command::Sync => {
            let mut session = Session::open(ctx)?;
            let relay = connect(ctx, connector, &session)?;
            emit(&sync::sync(&mut session, &relay).await?, json, out)
        }
        Command::Listen(args) => {
            let mut session = Session::open(ctx)?;
            let relay = connect(ctx, connector, &session)?;
            listen::listen(&mut session, &relay, args, stop, |event| {
                emit(event, json, out).map(|_| ())
            })
            .await?;
            Ok(ExitStatus::Ok)
        }
        Command::Messages(MessagesCommand::List(args)) => {
            emit(&messaging::list(&mut Session::open(ctx)?, args)?, json, out)
        }
        Command::Messages(MessagesCommand::Read(args)) => {
            emit(&messaging::read(&mut Session::open(ctx)?, args)?, json, out)
        }
        Command::Ack(args) => {
            let mut session = Session::open(ctx)?;
            let mut view = messaging::ack(&mut session, args)?;
            if !view.acknowledged.is_empty() {
                view.delivery = deliver(ctx, connector, &mut session).await?;
            }
            emit(&view, json, out)
        }
        Command::Members(args) => emit(
            &channel::members(&mut Session::open(ctx)?, args)?,
            json,
            out,
        ),
        Command::Audit(args) => emit(&messaging::audit(&Session::open(ctx)?, args)?, json, out),
        Command::Invitations(args) => {
            let mut session = Session::open(ctx)?;
            match pinning::invitations(&mut session, args)? {
                pinning::InvitationsOutcome::List(view) => emit(&view, json, out),
                pinning::InvitationsOutcome::Accept(view) => emit(&view, json, out),
                pinning::InvitationsOutcome::Decline(view) => emit(&view, json, out),
            }
        }
        Command::Search(args) => emit(&archive::search(&Session::open(ctx)?, args)?, json, out),
        Command::Export(args) => emit(
            &archive::export(ctx, &Session::open(ctx)?, args)?,
            json,
            out,
        ),
        Command::Import(args) => emit(
            &archive::import(ctx, &mut Session::open(ctx)?, args)?,
            json,
            out,
        ),
        Command::Demo(args) => {
            let temporary;
            let dir = match &args.dir {
                Some(dir) => {
                    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
                    dir.as_path()
                }
                None => {
                    temporary = tempfile::tempdir().map_err(|e| CliError::io(&ctx.home, e))?;
                    temporary.path()
                }
            };
            commands::demo::demo(dir, json, out).await?;
            Ok(ExitStatus::Ok)
        }
    }
}

fn profile_command(
    ctx: &Context,
    json: bool,
    command: &ProfileCommand,
    out: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    match command {
        ProfileCommand::Keygen(args) => emit(&profile::keygen(args)?, json, out),
        ProfileCommand::Create(args) => emit(&profile::create(ctx, args)?, json, out),
        ProfileCommand::Show => emit(&profile::show(ctx)?, json, out),
        ProfileCommand::List => emit(&profile::list(ctx)?, json, out),
        ProfileCommand::Unlock => emit(&profile::unlock(ctx)?, json, out),
        ProfileCommand::Delete(args) => emit(&profile::delete(ctx, args)?, json, out),
    }
}

fn authority_command(
    ctx: &Context,
    json: bool,
    command: &AuthorityCommand,
    out: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    match command {
        AuthorityCommand::Init(args) => emit(&authority::init(args)?, json, out),
        AuthorityCommand::Certificate(args) => emit(&authority::certificate(args)?, json, out),
        AuthorityCommand::Show(args) => emit(&authority::show(args)?, json, out),
        AuthorityCommand::Issue(args) => emit(&authority::issue_certificate(ctx, args)?, json, out),
        AuthorityCommand::Revoke(args) => emit(&authority::revoke(args)?, json, out),
        AuthorityCommand::Crl(args) => emit(&authority::crl(args)?, json, out),
        AuthorityCommand::Pinned => emit(&pinning::pinned(&Session::open(ctx)?)?, json, out),
        AuthorityCommand::Pin(args) => {
            emit(&pinning::pin(&mut Session::open(ctx)?, args)?, json, out)
        }
        AuthorityCommand::Unpin(args) => {
            emit(&pinning::unpin(&mut Session::open(ctx)?, args)?, json, out)
        }
    }
}

async fn channel_command<C: Connector>(
    ctx: &Context,
    json: bool,
    command: &ChannelCommand,
    connector: &C,
    out: &mut dyn Write,
) -> Result<ExitStatus, CliError> {
    let mut session = Session::open(ctx)?;
    match command {
        ChannelCommand::Create(args) => {
            let mut view = channel::create(&mut session, args)?;
            view.delivery = Some(deliver(ctx, connector, &mut session).await?);
            emit(&view, json, out)
        }
        ChannelCommand::List => emit(&channel::list(&session)?, json, out),
        ChannelCommand::Show(args) => emit(&channel::show(&mut session, args)?, json, out),
        ChannelCommand::Add(args) => {
            let relay = connect(ctx, connector, &session)?;
            emit(&admin::add(&mut session, &relay, args).await?, json, out)
        }
        ChannelCommand::Remove(args) => {
            let relay = connect(ctx, connector, &session)?;
            emit(&admin::remove(&mut session, &relay, args).await?, json, out)
        }
        ChannelCommand::Promote(args) | ChannelCommand::Demote(args) => {
            let admin = matches!(command, ChannelCommand::Promote(_));
            let relay = connect(ctx, connector, &session)?;
            let view = admin::set_role(&mut session, &relay, args, admin).await?;
            emit(&view, json, out)
        }
        ChannelCommand::Policy(args) => {
            let (view, edit) = admin::policy_preview(&mut session, args)?;
            let Some(edit) = edit else {
                return emit(&view, json, out);
            };
            let relay = connect(ctx, connector, &session)?;
            let view = admin::policy_apply(&mut session, &relay, view, edit).await?;
            emit(&view, json, out)
        }
        ChannelCommand::Archive(args) => emit(&archive::archive(&mut session, args)?, json, out),
        ChannelCommand::Leave(args) => {
            let channel = admin::leave(&mut session, args)?;
            let delivery = deliver(ctx, connector, &mut session).await?;
            emit(&LeaveView { channel, delivery }, json, out)
        }
    }
}

/// Connects for a command that cannot work without the relay.
fn connect<C: Connector>(
    ctx: &Context,
    connector: &C,
    session: &Session,
) -> Result<C::Relay, CliError> {
    if ctx.offline {
        return Err(CliError::Usage(
            "this command needs the relay; run it without --offline".into(),
        ));
    }
    connector.connect(ctx, session)
}

/// Sends what a command queued, unless `--offline`.
async fn deliver<C: Connector>(
    ctx: &Context,
    connector: &C,
    session: &mut Session,
) -> Result<DeliveryView, CliError> {
    if ctx.offline {
        return Ok(DeliveryView::offline());
    }
    let relay = connector.connect(ctx, session);
    sync::deliver(&mut session.engine, relay).await
}

/// The message text: the argument, or standard input for "-".
fn read_body(arg: &str) -> Result<String, CliError> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut body = String::new();
    std::io::stdin()
        .take(MAX_STDIN_BODY)
        .read_to_string(&mut body)
        .map_err(|e| CliError::io("standard input", e))?;
    Ok(body.trim_end_matches(['\n', '\r']).to_owned())
}

/// Writes the result of a failed command: the JSON error object on
/// standard output with `--json`, a line on standard error otherwise.
pub fn report_error(error: &CliError, json: bool, out: &mut dyn Write, err: &mut dyn Write) {
    if json {
        let _ = writeln!(out, "{}", crate::output::error_json(error));
    } else {
        let _ = writeln!(err, "liaison: {error}");
    }
}
