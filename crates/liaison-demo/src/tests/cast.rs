//! The cast and the scripts fit together: every line is spoken by a bot of
//! its channel, at a label the channel allows, replying to an earlier line.

use liaison_core::{
    Label, MessageId, PolicyRegistry, Precedence, ReferenceKind, StoredMessage, TrafficKind,
};

use crate::cast::{BOTS, CHANNELS, NATIONS, channel_spec, is_bot};
use crate::script;

fn registry() -> PolicyRegistry {
    PolicyRegistry::builtin()
}

#[test]
fn every_history_line_is_spoken_by_a_bot_of_its_channel_within_the_ceiling() {
    let registry = registry();
    for spec in &CHANNELS {
        let ceiling = Label::parse_marking(spec.ceiling, &registry).unwrap();
        let default = Label::parse_marking(spec.default_label, &registry).unwrap();
        assert!(ceiling.dominates(&default), "{}", spec.name);
        let history = script::history(spec.name);
        assert!(!history.is_empty(), "{} has no history", spec.name);
        for (index, line) in history.iter().enumerate() {
            assert!(
                spec.bots().any(|b| b == line.from),
                "{} is not in {}",
                line.from,
                spec.name
            );
            if let Some(marking) = line.marking {
                let label = Label::parse_marking(marking, &registry).unwrap();
                assert!(ceiling.dominates(&label), "{marking} in {}", spec.name);
            }
            if let Some(source) = line.reply_to {
                assert!(
                    source < index,
                    "line {index} of {} replies ahead",
                    spec.name
                );
                // A reply carries at least its source's label (rule 6).
                assert_eq!(line.marking, history[source].marking);
            }
        }
        // Oldest first, as the relay will order them.
        assert!(
            history
                .windows(2)
                .all(|w| w[0].minutes_ago > w[1].minutes_ago)
        );
    }
}

#[test]
fn the_liaison_history_shows_exercise_framing_a_reply_and_one_flash() {
    let history = script::history(crate::LIAISON_CHANNEL);
    let flashes = history
        .iter()
        .filter(|l| l.precedence == Precedence::Flash)
        .count();
    assert_eq!(flashes, 1);
    assert!(history.iter().any(|l| l.kind == TrafficKind::Exercise));
    assert!(history.iter().any(|l| l.reply_to.is_some()));
    assert!(history.iter().any(|l| l.marking.is_some()));
    assert!(history.iter().any(|l| l.marking.is_none()));
}

#[test]
fn every_bot_has_an_authority_and_every_channel_its_bots_nations() {
    for bot in &BOTS {
        assert!(NATIONS.iter().any(|n| n.code == bot.nationality));
        assert!(is_bot(bot.officer_id));
    }
    for spec in &CHANNELS {
        assert_eq!(channel_spec(spec.name).unwrap().name, spec.name);
        for officer in spec.bots() {
            let bot = BOTS.iter().find(|b| b.officer_id == officer).unwrap();
            assert!(
                spec.nations.contains(&bot.nationality),
                "{officer} in {}",
                spec.name
            );
        }
    }
    assert!(channel_spec("Somewhere else").is_none());
    assert!(!is_bot("gbr.taylor"));
}

#[test]
fn every_nation_of_the_cast_has_a_channel_where_its_users_become_admins() {
    // The demo's user must have admin work to do in the window, whichever
    // of the cast's nations they chose, when cleared NATO CONFIDENTIAL.
    for nation in &NATIONS {
        assert!(
            CHANNELS
                .iter()
                .any(|spec| spec.user_is_admin && spec.nations.contains(&nation.code)),
            "no channel makes a {} user an admin",
            nation.code
        );
    }
}

fn stored(body: &str, precedence: Precedence) -> StoredMessage {
    let registry = registry();
    StoredMessage {
        channel: liaison_core::ChannelId(vec![1]),
        message_id: MessageId([0; 16]),
        seq: None,
        epoch: 1,
        sender_id: "gbr.taylor".into(),
        sender_name: "Capt. Sam Taylor".into(),
        sender_nation: "GBR".into(),
        label: Label::parse_marking("NATO RESTRICTED", &registry).unwrap(),
        portion_marking: "(NR)".into(),
        precedence,
        kind: TrafficKind::Operation,
        body: body.into(),
        reference: None::<(ReferenceKind, MessageId)>,
        sent_at_ms: 0,
        received_at_ms: 0,
        verification: liaison_core::Verification::Verified,
        context_signed: true,
    }
}

#[test]
fn replies_address_the_sender_in_the_bots_manner_and_fit_the_message() {
    let routine = stored("Crossing figures attached.", Precedence::Routine);
    let french = script::reply("FRA", &routine, 0);
    assert!(french.starts_with("Bien reçu Taylor,"), "{french}");
    let german = script::reply("DEU", &routine, 1);
    assert!(german.starts_with("Danke, verstanden Taylor,"), "{german}");
    // The same message always gets the same answer.
    assert_eq!(
        script::reply("USA", &routine, 9),
        script::reply("USA", &routine, 9)
    );

    let question = stored("Is K9 open?", Precedence::Routine);
    let urgent = stored("K9 closed.", Precedence::Flash);
    let answers = |source: &StoredMessage| -> Vec<String> {
        (0..12)
            .map(|seed| script::reply("GBR", source, seed))
            .collect()
    };
    let (routine, question, urgent) = (answers(&routine), answers(&question), answers(&urgent));
    assert!(
        routine
            .iter()
            .all(|a| !question.contains(a) && !urgent.contains(a))
    );
    assert!(question.iter().all(|a| !urgent.contains(a)));
}

#[test]
fn bulk_bodies_are_numbered_and_distinct() {
    assert_ne!(script::bulk_body(1), script::bulk_body(2));
    assert!(script::bulk_body(99_999).contains("99999"));
}
