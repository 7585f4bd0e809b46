//! What the partner officers say: each channel's history, their replies
//! to the user, their unprompted traffic, and bulk benchmark text.

use liaison_core::{Precedence, StoredMessage, TrafficKind};

use crate::cast::{COORDINATION_CHANNEL, LIAISON_CHANNEL, LOGISTICS_CHANNEL};

/// One message of a channel's scripted history.
pub(crate) struct Line {
    pub(crate) from: &'static str,
    /// How long before the newcomer joined it was "sent".
    pub(crate) minutes_ago: u64,
    /// The marking; `None` takes the channel default.
    pub(crate) marking: Option<&'static str>,
    pub(crate) precedence: Precedence,
    pub(crate) kind: TrafficKind,
    pub(crate) body: &'static str,
    /// The earlier line (index in the script) this one replies to.
    pub(crate) reply_to: Option<usize>,
}

const fn line(from: &'static str, minutes_ago: u64, body: &'static str) -> Line {
    Line {
        from,
        minutes_ago,
        marking: None,
        precedence: Precedence::Routine,
        kind: TrafficKind::Operation,
        body,
        reply_to: None,
    }
}

const LIAISON_HISTORY: &[Line] = &[
    line(
        "fra.moreau",
        185,
        "Bonjour à tous. Daily liaison sync at 0900Z as usual: crossing figures, \
         then preparation of exercise STEADFAST BRIDGE.",
    ),
    line(
        "deu.keller",
        178,
        "Morning. Bundespolizei figures for the last 24 h will follow by 1000Z.",
    ),
    Line {
        marking: Some("NATO SECRET//REL TO DEU, FRA, GBR"),
        precedence: Precedence::Priority,
        ..line(
            "gbr.hughes",
            151,
            "Assessment: the network using the Calais freight terminal has moved two \
             couriers to the Zeebrugge route since Monday. Source reliability B2.",
        )
    },
    Line {
        kind: TrafficKind::Exercise,
        precedence: Precedence::Immediate,
        ..line(
            "deu.keller",
            132,
            "STEADFAST BRIDGE inject 4: simulated convoy breakdown at A4 junction 12. \
             Request FRA recovery asset.",
        )
    },
    Line {
        kind: TrafficKind::Exercise,
        reply_to: Some(3),
        ..line(
            "fra.moreau",
            127,
            "Inject 4: recovery team dispatched from Metz, ETA 40 minutes.",
        )
    },
    Line {
        marking: Some("NATO SECRET//REL TO DEU, FRA, GBR"),
        precedence: Precedence::Flash,
        ..line(
            "gbr.hughes",
            64,
            "Vehicle checkpoint K7 closed until 0600Z after a security incident. \
             Route all liaison traffic via K9.",
        )
    },
    Line {
        marking: Some("NATO SECRET//REL TO DEU, FRA, GBR"),
        reply_to: Some(5),
        ..line(
            "fra.moreau",
            58,
            "Reçu. French patrol redirected to K9; we keep one team at K7 until relieved.",
        )
    },
];

const COORDINATION_HISTORY: &[Line] = &[
    line(
        "gbr.hughes",
        240,
        "Weekend ferry schedules confirmed. The Dover port liaison desk is staffed \
         around the clock.",
    ),
    Line {
        precedence: Precedence::Priority,
        ..line(
            "fra.moreau",
            212,
            "Calais expects heavy freight volume on Friday. Could you put a second UK \
             officer at the juxtaposed control?",
        )
    },
    Line {
        reply_to: Some(1),
        ..line(
            "gbr.hughes",
            205,
            "Agreed: a second officer on shift from Friday 0600Z.",
        )
    },
];

const LOGISTICS_HISTORY: &[Line] = &[
    Line {
        kind: TrafficKind::Exercise,
        ..line(
            "usa.carter",
            300,
            "STEADFAST BRIDGE fuel resupply convoy leaves Ramstein at 0400Z, \
             twelve vehicles.",
        )
    },
    Line {
        marking: Some("NATO CONFIDENTIAL//REL TO DEU, FRA, GBR, USA"),
        precedence: Precedence::Immediate,
        ..line(
            "deu.keller",
            270,
            "Weight restriction on the A6 bridge at Mannheim: 40 t until further \
             notice. Heavy vehicles via A61.",
        )
    },
    Line {
        marking: Some("NATO CONFIDENTIAL//REL TO DEU, FRA, GBR, USA"),
        reply_to: Some(1),
        ..line(
            "usa.carter",
            262,
            "Copy. Convoy rerouted via A61; arrival moves back by about an hour.",
        )
    },
];

/// The history played to a channel when someone joins it.
pub(crate) fn history(channel: &str) -> &'static [Line] {
    match channel {
        LIAISON_CHANNEL => LIAISON_HISTORY,
        COORDINATION_CHANNEL => COORDINATION_HISTORY,
        LOGISTICS_CHANNEL => LOGISTICS_HISTORY,
        _ => &[],
    }
}

/// Picks from `choices` by `seed`, so the same message always gets the
/// same answer.
fn pick(choices: &[&'static str], seed: u8) -> &'static str {
    choices
        .get(usize::from(seed) % choices.len().max(1))
        .copied()
        .unwrap_or_default()
}

/// A partner officer's answer to `source`.
pub(crate) fn reply(nationality: &str, source: &StoredMessage, seed: u8) -> String {
    let first_name = source
        .sender_name
        .rsplit(' ')
        .next()
        .unwrap_or(&source.sender_name);
    let opening = match nationality {
        "FRA" => pick(&["Bien reçu", "Reçu, merci", "Entendu"], seed),
        "DEU" => pick(&["Verstanden", "Danke, verstanden", "Roger"], seed),
        _ => pick(&["Copy", "Roger", "Understood"], seed),
    };
    let body = if source.precedence >= Precedence::Immediate {
        pick(
            &[
                "our duty officer is on it; update within the hour.",
                "passed to the operations room, we act on it now.",
                "acknowledged and relayed to our watch; confirmation follows.",
            ],
            seed,
        )
    } else if source.body.trim_end().ends_with('?') {
        pick(
            &[
                "checking with our desk, answer within 30 minutes.",
                "yes, as far as we know; I will confirm after the 1400Z update.",
                "not yet, I will chase it and come back to you.",
            ],
            seed,
        )
    } else {
        pick(
            &[
                "noted and logged for the next liaison sync.",
                "thanks, that matches what we see on our side.",
                "noted, I will brief our chief of staff.",
                "thank you, we adjust our planning accordingly.",
            ],
            seed,
        )
    };
    format!("{opening} {first_name}, {body}")
}

/// Unprompted traffic, picked by `seed`.
pub(crate) fn chatter(nationality: &str, seed: u8) -> &'static str {
    match nationality {
        "FRA" => pick(
            &[
                "Point de situation: no change at the Calais and Dunkerque crossings.",
                "Reminder: liaison sync moves to 1000Z tomorrow.",
            ],
            seed,
        ),
        "DEU" => pick(
            &[
                "Lagebild: traffic normal on the A4 corridor.",
                "Reminder: our reporting cycle closes at 1600Z today.",
            ],
            seed,
        ),
        "USA" => pick(
            &[
                "Convoy tracking nominal, no delays reported.",
                "Logistics cell will publish the next movement table at 1500Z.",
            ],
            seed,
        ),
        _ => pick(
            &[
                "Nothing new from the Dover desk; all crossings running.",
                "Reminder: the weekly assessment is due Thursday.",
            ],
            seed,
        ),
    }
}

/// The body of message `index` of a seeded benchmark history.
pub(crate) fn bulk_body(index: usize) -> String {
    const TOPICS: [&str; 5] = [
        "crossing figures",
        "patrol schedule",
        "convoy status",
        "liaison desk roster",
        "port traffic",
    ];
    let topic = TOPICS
        .get(index % TOPICS.len())
        .copied()
        .unwrap_or_default();
    format!("Routine report {index}: {topic} unchanged since the previous report.")
}
