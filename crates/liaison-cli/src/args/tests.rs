#![allow(clippy::unwrap_used)]

use clap::Parser as _;
use clap::error::ErrorKind;

use super::*;

fn parse(words: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("liaison").chain(words.iter().copied()))
}

#[test]
fn the_command_tree_is_consistent() {
    use clap::CommandFactory as _;
    Cli::command().debug_assert();
}

#[test]
fn global_options_are_accepted_after_the_subcommand() {
    let cli = parse(&["send", "cell", "hello", "--json", "--offline", "-p", "gbr"]).unwrap();
    assert!(cli.global.json);
    assert!(cli.global.offline);
    assert_eq!(cli.global.profile.as_deref(), Some("gbr"));
}

#[test]
fn send_takes_label_precedence_exercise_and_one_reference() {
    let cli = parse(&[
        "send",
        "cell",
        "text",
        "--label",
        "NATO SECRET//REL TO FRA, GBR",
        "--precedence",
        "flash",
        "--exercise",
        "--reply-to",
        "abcd1234",
    ])
    .unwrap();
    let Command::Send(args) = cli.command else {
        panic!("not send");
    };
    assert_eq!(args.precedence, PrecedenceArg::Flash);
    assert!(args.exercise);
    assert_eq!(args.label.as_deref(), Some("NATO SECRET//REL TO FRA, GBR"));
    assert_eq!(args.reply_to.as_deref(), Some("abcd1234"));

    let both = parse(&["send", "cell", "t", "--reply-to", "abcd", "--quote", "abcd"]);
    assert_eq!(both.unwrap_err().kind(), ErrorKind::ArgumentConflict);
}

#[test]
fn precedence_defaults_to_routine_and_rejects_unknown_words() {
    let Command::Send(args) = parse(&["send", "cell", "t"]).unwrap().command else {
        panic!("not send");
    };
    assert_eq!(args.precedence, PrecedenceArg::Routine);
    assert_eq!(
        parse(&["send", "cell", "t", "--precedence", "urgent"])
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidValue
    );
}

#[test]
fn profile_create_refuses_both_import_and_authority() {
    let error = parse(&[
        "profile",
        "create",
        "gbr",
        "--authority",
        "a.pem",
        "--certificate",
        "c.pem",
        "--device-key",
        "k.pem",
    ])
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ArgumentConflict);
    let error = parse(&["profile", "create", "gbr", "--certificate", "c.pem"]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingRequiredArgument);
}

#[test]
fn profile_create_reads_officer_attributes() {
    let cli = parse(&[
        "profile",
        "create",
        "gbr",
        "--authority",
        "gbr.pem",
        "--officer-id",
        "gbr.smith",
        "--name",
        "Maj. J. Smith",
        "--org",
        "GBR MoD",
        "--nationality",
        "GBR",
        "--clearance",
        "NATO SECRET",
        "--protection",
        "passphrase",
    ])
    .unwrap();
    let Command::Profile(ProfileCommand::Create(args)) = cli.command else {
        panic!("not profile create");
    };
    assert_eq!(args.name, "gbr");
    assert_eq!(args.officer.display_name.as_deref(), Some("Maj. J. Smith"));
    assert_eq!(args.officer.days, 365);
    assert_eq!(args.protection, Some(ProtectionArg::Passphrase));
}

#[test]
fn channel_create_collects_repeated_anchors_and_admins() {
    let cli = parse(&[
        "channel",
        "create",
        "GBR-FRA-DEU border cell",
        "--ceiling",
        "NATO SECRET//REL TO DEU, FRA, GBR",
        "--anchor",
        "fra.pem",
        "--anchor",
        "deu.pem",
        "--admin",
        "fra.martin",
        "--history",
        "purge",
    ])
    .unwrap();
    let Command::Channel(ChannelCommand::Create(args)) = cli.command else {
        panic!("not channel create");
    };
    assert_eq!(args.anchors.len(), 2);
    assert_eq!(args.admins, ["fra.martin"]);
    assert_eq!(args.history, HistoryArg::Purge);
    assert_eq!(args.default_label, None);
}

#[test]
fn ack_needs_messages_or_all_but_not_both() {
    assert_eq!(
        parse(&["ack", "cell"]).unwrap_err().kind(),
        ErrorKind::MissingRequiredArgument
    );
    assert!(parse(&["ack", "cell", "--all"]).is_ok());
    assert_eq!(
        parse(&["ack", "cell", "abcd", "--all"]).unwrap_err().kind(),
        ErrorKind::ArgumentConflict
    );
}

#[test]
fn revoke_takes_a_serial_or_a_certificate() {
    assert!(parse(&["authority", "revoke", "--authority", "a.pem", "7f01"]).is_ok());
    assert!(
        parse(&[
            "authority",
            "revoke",
            "--authority",
            "a.pem",
            "--certificate",
            "c.pem"
        ])
        .is_ok()
    );
    assert!(parse(&["authority", "revoke", "--authority", "a.pem"]).is_err());
}

#[test]
fn channel_admin_commands_need_officers() {
    assert!(parse(&["channel", "add", "cell"]).is_err());
    let cli = parse(&["channel", "remove", "cell", "deu.weber", "fra.martin"]).unwrap();
    let Command::Channel(ChannelCommand::Remove(args)) = cli.command else {
        panic!("not remove");
    };
    assert_eq!(args.officers, ["deu.weber", "fra.martin"]);
}

#[test]
fn pinning_and_invitations_take_fingerprints_to_confirm() {
    let print = vec!["AB"; 32].join(":");
    let Command::Authority(AuthorityCommand::Pin(args)) =
        parse(&["authority", "pin", "gbr.pem", "--confirm", &print])
            .unwrap()
            .command
    else {
        panic!("not authority pin");
    };
    assert_eq!(args.confirm.unwrap().as_bytes(), &[0xab; 32]);
    let Command::Authority(AuthorityCommand::Pin(args)) =
        parse(&["authority", "pin", "gbr.pem"]).unwrap().command
    else {
        panic!("not authority pin");
    };
    assert!(args.confirm.is_none(), "shows, and pins nothing");
    assert!(parse(&["authority", "pin", "gbr.pem", "--confirm", "abc"]).is_err());
    assert!(parse(&["authority", "unpin"]).is_err());

    let Command::Invitations(args) = parse(&[
        "invitations",
        "accept",
        "3",
        "--confirm",
        &print,
        "--confirm",
        &"cd".repeat(32),
    ])
    .unwrap()
    .command
    else {
        panic!("not invitations");
    };
    let Some(InvitationsCommand::Accept(accept)) = args.command else {
        panic!("not accept");
    };
    assert_eq!((accept.id, accept.confirm.len()), (3, 2));
    let Command::Invitations(list) = parse(&["invitations"]).unwrap().command else {
        panic!("not invitations");
    };
    assert!(list.command.is_none());
}
