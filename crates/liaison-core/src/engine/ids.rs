//! The message ids this engine draws: one random stream per opening of the
//! engine, numbered in sending order (`MessageId::sequenced` says why).

use liaison_proto::MessageId;

/// Where the next message id comes from.
pub(super) struct IdSequence {
    stream: [u8; 4],
    next: u32,
}

impl IdSequence {
    /// A new stream, drawn at random.
    pub(super) fn new() -> Result<Self, getrandom::Error> {
        let mut stream = [0u8; 4];
        getrandom::fill(&mut stream)?;
        Ok(Self { stream, next: 0 })
    }

    /// The next id: the stream, the counter, 8 fresh random bytes. A stream
    /// whose counter is spent is replaced by a new one.
    pub(super) fn next_id(&mut self) -> Result<MessageId, getrandom::Error> {
        if self.next == u32::MAX {
            *self = Self::new()?;
        }
        let mut random = [0u8; 8];
        getrandom::fill(&mut random)?;
        let id = MessageId::sequenced(self.stream, self.next, random);
        self.next += 1;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::IdSequence;

    #[test]
    fn ids_of_one_engine_share_a_stream_and_grow() {
        let mut ids = IdSequence::new().unwrap();
        let (a, b) = (ids.next_id().unwrap(), ids.next_id().unwrap());
        assert_eq!(a.0[..4], b.0[..4]);
        assert!(a < b);
    }

    #[test]
    fn a_spent_counter_starts_a_new_stream() {
        let mut ids = IdSequence::new().unwrap();
        ids.next = u32::MAX;
        let id = ids.next_id().unwrap();
        assert_eq!(id.0[4..8], [0, 0, 0, 0]);
        assert_eq!(ids.next, 1);
    }
}
