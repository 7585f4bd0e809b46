//! `liaison`: parse the command line, run the command, exit with its code.

use std::io::{self, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use clap::error::ErrorKind;
use liaison_cli::args::{Cli, GlobalArgs};
use liaison_cli::home::default_home;
use liaison_cli::{CliError, Context, ExitStatus, PassphraseSource, RelayConnector, run};
use zeroize::Zeroizing;

/// The environment variable that may hold a profile's passphrase.
const PASSPHRASE_VAR: &str = "LIAISON_PASSPHRASE";
/// The environment variable that may hold an archive's passphrase.
const ARCHIVE_PASSPHRASE_VAR: &str = "LIAISON_ARCHIVE_PASSPHRASE";

fn context(global: &GlobalArgs) -> Result<Context, CliError> {
    let home = match &global.home {
        Some(home) => home.clone(),
        None => default_home()?,
    };
    let passphrase = match &global.passphrase_file {
        Some(path) => Some(PassphraseSource::File(path.clone())),
        None => std::env::var(PASSPHRASE_VAR)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| PassphraseSource::Text(Zeroizing::new(v))),
    };
    let mut ctx = Context::new(home);
    ctx.profile = global.profile.clone();
    ctx.passphrase = passphrase;
    ctx.relay = global.relay.clone();
    ctx.relay_ca = global.relay_ca.clone();
    ctx.offline = global.offline;
    ctx.archive_passphrase = std::env::var(ARCHIVE_PASSPHRASE_VAR)
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| PassphraseSource::Text(Zeroizing::new(v)));
    Ok(ctx)
}

fn main() -> ExitCode {
    let words: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&words) {
        Ok(cli) => cli,
        Err(error) => {
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) {
                let _ = error.print();
                return ExitCode::from(ExitStatus::Ok.code());
            }
            if words.iter().any(|w| w == "--json") {
                let usage = CliError::Usage(error.kind().to_string());
                println!("{}", liaison_cli::output::error_json(&usage));
            }
            let _ = error.print();
            return ExitCode::from(ExitStatus::Usage.code());
        }
    };
    let json = cli.global.json;
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let result = context(&cli.global).and_then(|ctx| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(CliError::Output)?;
        let stop = async {
            // If no handler can be installed, listen runs until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        runtime.block_on(run::execute(
            &ctx,
            json,
            &cli.command,
            &RelayConnector,
            &mut stdout,
            stop,
        ))
    });
    match result {
        Ok(status) => ExitCode::from(status.code()),
        Err(error) => {
            run::report_error(&error, json, &mut stdout, &mut stderr);
            let _ = stdout.flush();
            ExitCode::from(error.status().code())
        }
    }
}
