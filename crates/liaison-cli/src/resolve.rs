//! Turning what a person types into channel and message identifiers: a
//! channel by its partnership name or a prefix of its id, a message by a
//! prefix of its id.

use liaison_core::{ChannelId, ChannelSummary, Engine, MessageId};

use crate::error::CliError;

/// Shortest id prefix accepted, so a typo does not silently pick something.
const MIN_PREFIX: usize = 4;

fn hex_prefix(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    (lower.len() >= MIN_PREFIX && lower.bytes().all(|b| b.is_ascii_hexdigit())).then_some(lower)
}

/// The channel named `text`: an exact partnership name (the active channel
/// when several past ones share it), else a unique prefix of its id.
pub(crate) fn channel(engine: &Engine, text: &str) -> Result<ChannelId, CliError> {
    let channels = engine.channels()?;
    pick_channel(&channels, text)
}

fn pick_channel(channels: &[ChannelSummary], text: &str) -> Result<ChannelId, CliError> {
    let named: Vec<&ChannelSummary> = channels.iter().filter(|c| c.name == text).collect();
    let active: Vec<&ChannelSummary> = named.iter().copied().filter(|c| c.active).collect();
    match (named.as_slice(), active.as_slice()) {
        ([one], _) | (_, [one]) => return Ok(one.id.clone()),
        ([], _) => {}
        _ => return Err(CliError::AmbiguousChannel(text.to_owned())),
    }
    let Some(prefix) = hex_prefix(text) else {
        return Err(CliError::UnknownChannel(text.to_owned()));
    };
    let mut matches = channels
        .iter()
        .filter(|c| c.id.to_hex().starts_with(&prefix));
    match (matches.next(), matches.next()) {
        (Some(one), None) => Ok(one.id.clone()),
        (Some(_), Some(_)) => Err(CliError::AmbiguousChannel(text.to_owned())),
        (None, _) => Err(CliError::UnknownChannel(text.to_owned())),
    }
}

/// The message whose id starts with `text`, among the messages of
/// `channels`.
pub(crate) fn message(
    engine: &Engine,
    channels: &[ChannelId],
    text: &str,
) -> Result<MessageId, CliError> {
    let prefix = hex_prefix(text).ok_or_else(|| CliError::UnknownMessage(text.to_owned()))?;
    let mut found = None;
    for channel in channels {
        for message in engine.messages(channel)? {
            // A full id, its start, or the end the text output shows.
            let hex = message.message_id.to_hex();
            if hex.starts_with(&prefix) || hex.ends_with(&prefix) {
                if found.is_some_and(|id| id != message.message_id) {
                    return Err(CliError::AmbiguousMessage(text.to_owned()));
                }
                found = Some(message.message_id);
            }
        }
    }
    found.ok_or_else(|| CliError::UnknownMessage(text.to_owned()))
}

/// Every channel of the profile, for references that may cross channels.
pub(crate) fn all_channels(engine: &Engine) -> Result<Vec<ChannelId>, CliError> {
    Ok(engine.channels()?.into_iter().map(|c| c.id).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn summary(id: &[u8], name: &str, active: bool) -> ChannelSummary {
        ChannelSummary {
            id: ChannelId(id.to_vec()),
            name: name.to_owned(),
            archived: false,
            active,
            origin: liaison_core::ChannelOrigin::Live,
            departure: None,
        }
    }

    #[test]
    fn channel_is_found_by_name_or_id_prefix() {
        let channels = [
            summary(&[0xab, 0xcd, 0x01], "cell", true),
            summary(&[0x12, 0x34], "other", true),
        ];
        assert_eq!(
            pick_channel(&channels, "cell").unwrap().0,
            vec![0xab, 0xcd, 0x01]
        );
        assert_eq!(
            pick_channel(&channels, "ABCD").unwrap().0,
            vec![0xab, 0xcd, 0x01]
        );
        assert!(matches!(
            pick_channel(&channels, "abc"),
            Err(CliError::UnknownChannel(_))
        ));
        assert!(matches!(
            pick_channel(&channels, "ffff"),
            Err(CliError::UnknownChannel(_))
        ));
    }

    #[test]
    fn a_shared_prefix_or_name_is_ambiguous_unless_one_is_active() {
        let channels = [
            summary(&[0xab, 0xcd, 0x01], "cell", false),
            summary(&[0xab, 0xcd, 0x02], "cell", true),
            summary(&[0xab, 0xcd, 0x03], "cell", true),
        ];
        assert!(matches!(
            pick_channel(&channels, "abcd"),
            Err(CliError::AmbiguousChannel(_))
        ));
        assert!(matches!(
            pick_channel(&channels, "cell"),
            Err(CliError::AmbiguousChannel(_))
        ));
        assert_eq!(
            pick_channel(&channels[..2], "cell").unwrap().0,
            vec![0xab, 0xcd, 0x02]
        );
    }
}
