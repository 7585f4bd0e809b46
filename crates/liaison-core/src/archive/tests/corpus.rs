//! A deterministic corpus of liaison traffic, and the naive scan that
//! search results are checked against.

use liaison_proto::Precedence;

/// Words every corpus uses, most frequent first (a skewed draw makes the
/// first ones common and the last ones rare).
const COMMON: &[&str] = &[
    "the",
    "convoy",
    "checkpoint",
    "bridge",
    "route",
    "patrol",
    "report",
    "request",
    "engineers",
    "border",
    "crossing",
    "vehicles",
    "north",
    "south",
    "river",
    "status",
    "confirm",
    "delay",
    "convene",
    "liaison",
    "sector",
    "supply",
    "medical",
    "fuel",
    "observation",
    "post",
    "relief",
    "schedule",
    "briefing",
    "weather",
    "closure",
    "incident",
    "contact",
    "sighting",
    "escort",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "be", "do", "fa", "gu", "hi", "jo", "ke", "la",
];

/// A small deterministic generator (SplitMix64).
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub(super) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    /// Skewed towards 0: the cube of a uniform draw.
    pub(super) fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n
    }
}

/// The vocabulary: the common words, then made-up words of two to four
/// syllables (distinct, so that a word's prefix may or may not be shared).
pub(super) fn vocabulary(size: usize) -> Vec<String> {
    let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
    let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
    let mut n: usize = 0;
    while words.len() < size {
        let mut word = String::new();
        let mut k = n;
        let syllables = 2 + n % 3;
        for _ in 0..syllables {
            word.push_str(SYLLABLES[k % SYLLABLES.len()]);
            k /= SYLLABLES.len();
        }
        word.push_str(&(n % 97).to_string());
        if seen.insert(word.clone()) {
            words.push(word);
        }
        n += 1;
    }
    words
}

/// One generated message, in model form.
#[derive(Debug, Clone)]
pub(super) struct Sample {
    pub(super) id: [u8; 16],
    pub(super) channel: usize,
    pub(super) sender: usize,
    /// Index into [`LEVELS`].
    pub(super) level: usize,
    pub(super) precedence: Precedence,
    pub(super) sent_at_ms: u64,
    pub(super) body: String,
}

/// The labels of the corpus, lowest first; index = NATO rank.
pub(super) const LEVELS: &[&str] = &[
    "NATO UNCLASSIFIED",
    "NATO RESTRICTED//REL TO DEU, FRA, GBR",
    "NATO CONFIDENTIAL//REL TO DEU, FRA, GBR",
    "NATO SECRET//REL TO DEU, FRA, GBR",
];

/// The classification names of [`LEVELS`].
pub(super) const CLASSIFICATIONS: &[&str] = &[
    "NATO UNCLASSIFIED",
    "NATO RESTRICTED",
    "NATO CONFIDENTIAL",
    "NATO SECRET",
];

/// `count` messages over `channels` channels and `senders` senders, one a
/// minute from `start_ms`.
pub(super) fn generate(
    seed: u64,
    count: usize,
    channels: usize,
    senders: usize,
    vocabulary: &[String],
    start_ms: u64,
) -> Vec<Sample> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|i| {
            let length = 6 + rng.below(14);
            let words: Vec<u32> = (0..length)
                .map(|_| u32::try_from(rng.skewed(vocabulary.len())).unwrap())
                .collect();
            let mut body = String::new();
            for (k, w) in words.iter().enumerate() {
                let word = &vocabulary[*w as usize];
                if k == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        body.extend(first.to_uppercase());
                        body.push_str(chars.as_str());
                    }
                } else {
                    body.push_str(if k % 7 == 0 { ", " } else { " " });
                    body.push_str(word);
                }
            }
            body.push('.');
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&rng.next().to_be_bytes());
            id[8..].copy_from_slice(&u64::try_from(i).unwrap().to_be_bytes());
            let precedence = match rng.below(100) {
                0..=69 => Precedence::Routine,
                70..=89 => Precedence::Priority,
                90..=97 => Precedence::Immediate,
                _ => Precedence::Flash,
            };
            Sample {
                id,
                channel: rng.below(channels),
                sender: rng.below(senders),
                level: rng.skewed(LEVELS.len()),
                precedence,
                sent_at_ms: start_ms + u64::try_from(i).unwrap() * 60_000,
                body,
            }
        })
        .collect()
}

/// One search term as the model understands it: the tokens of the quoted
/// text (split like unicode61 splits ASCII), the last one possibly a prefix.
pub(super) struct ModelTerm {
    tokens: Vec<String>,
    prefix: bool,
}

impl ModelTerm {
    pub(super) fn new(text: &str, prefix: bool) -> Self {
        Self {
            tokens: tokens(text),
            prefix,
        }
    }
}

/// ASCII tokenisation: lowercase runs of letters and digits.
pub(super) fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether `body_tokens` holds the term's tokens side by side.
pub(super) fn matches(term: &ModelTerm, body_tokens: &[String]) -> bool {
    let n = term.tokens.len();
    if n == 0 || body_tokens.len() < n {
        return false;
    }
    body_tokens.windows(n).any(|window| {
        window
            .iter()
            .zip(&term.tokens)
            .enumerate()
            .all(|(i, (have, want))| {
                if term.prefix && i == n - 1 {
                    have.starts_with(want.as_str())
                } else {
                    have == want
                }
            })
    })
}
