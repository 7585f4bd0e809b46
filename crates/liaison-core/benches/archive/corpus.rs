//! The benchmark corpus: deterministic liaison traffic, built once into a
//! SQLCipher store cached under the target directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use liaison_core::danger::{self, BulkMessage};
use liaison_core::{
    CertificateChain, ChannelId, ChannelPolicy, DeviceKey, Engine, InitialTrust, Label, Precedence,
    TrafficKind,
};
use liaison_proto::{Envelope, MessageId};
use liaison_rules::test_utils::{anchors, channel_policy, clearance};

/// Bump when the corpus changes, so a stale cache is rebuilt.
const CORPUS_VERSION: u32 = 3;
/// The raw key of the cached store (a benchmark fixture, nothing secret).
pub(crate) const CORPUS_KEY: [u8; 32] = [0x42; 32];
/// Messages in the searched channels.
pub(crate) const SEARCH_MESSAGES: usize = 1_000_000;
/// Messages, all really signed, in the channel that is exported.
pub(crate) const EXPORT_MESSAGES: usize = 20_000;
/// Channels the searched messages are spread over.
pub(crate) const SEARCH_CHANNELS: usize = 4;
/// Name of the exported channel.
pub(crate) const EXPORT_CHANNEL: &str = "Export cell";
const DAY_MS: u64 = 86_400_000;

pub(crate) const COMMON: &[&str] = &[
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
pub(crate) const LEVELS: &[&str] = &[
    "NATO UNCLASSIFIED",
    "NATO RESTRICTED//REL TO DEU, FRA, GBR",
    "NATO CONFIDENTIAL//REL TO DEU, FRA, GBR",
    "NATO SECRET//REL TO DEU, FRA, GBR",
];
pub(crate) const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";

pub(crate) use liaison_rules::test_utils::{Nation, label, now_ms, registry};

/// SplitMix64.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards 0 (the cube of a uniform draw): a few words are very
    /// common, most are rare.
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n
    }
}

/// The common words, then made-up words.
pub(crate) fn vocabulary(size: usize) -> Vec<String> {
    let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
    let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
    let mut n = 0usize;
    while words.len() < size {
        let mut word = String::new();
        let mut k = n;
        for _ in 0..2 + n % 3 {
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

/// A body of 6 to 19 words.
pub(crate) fn body(rng: &mut Rng, vocabulary: &[String]) -> String {
    let length = 6 + rng.below(14);
    let mut body = String::with_capacity(length * 8);
    for k in 0..length {
        if k > 0 {
            body.push_str(if k % 7 == 0 { ", " } else { " " });
        }
        body.push_str(&vocabulary[rng.skewed(vocabulary.len())]);
    }
    body.push('.');
    body
}

pub(crate) fn precedence(rng: &mut Rng) -> Precedence {
    match rng.below(100) {
        0..=69 => Precedence::Routine,
        70..=89 => Precedence::Priority,
        90..=97 => Precedence::Immediate,
        _ => Precedence::Flash,
    }
}

pub(crate) fn nation(code: &str) -> Nation {
    Nation::around_now(
        code,
        Duration::from_secs(400 * 86_400),
        Duration::from_secs(3 * 365 * 86_400),
    )
}

pub(crate) struct Identity {
    pub(crate) id: String,
    pub(crate) nation: String,
    pub(crate) chain: CertificateChain,
    pub(crate) device: DeviceKey,
}

pub(crate) fn identity(nation: &Nation, id: &str) -> Identity {
    let device = DeviceKey::generate().unwrap();
    let now = SystemTime::now();
    let chain = nation.certify(
        id,
        clearance("NATO SECRET"),
        &device,
        now - Duration::from_secs(90 * 86_400),
        now + Duration::from_secs(2 * 365 * 86_400),
    );
    Identity {
        id: id.to_owned(),
        nation: nation.code.to_string(),
        chain,
        device,
    }
}

pub(crate) fn policy(name: &str, admin: &str, nations: &[&Nation]) -> ChannelPolicy {
    channel_policy(name, CEILING, LEVELS[1], &[admin], anchors(nations))
}

/// A message with a placeholder envelope (search never reads it).
pub(crate) fn unsigned(
    id: [u8; 16],
    sender: &Identity,
    label: &Label,
    precedence: Precedence,
    body: String,
    sent_at_ms: u64,
) -> BulkMessage {
    BulkMessage {
        message_id: id,
        seq: None,
        sender_id: sender.id.clone(),
        sender_name: format!("Officer {}", sender.id),
        sender_nation: sender.nation.clone(),
        label: label.clone(),
        precedence,
        kind: TrafficKind::Operation,
        body,
        sent_at_ms,
        received_at_ms: sent_at_ms,
        envelope: Vec::new(),
        signature: [0; 64],
        sender_chain: Vec::new(),
    }
}

/// A message as the engine stores it: a real envelope, signed.
pub(crate) fn signed(
    id: [u8; 16],
    sender: &Identity,
    label: &Label,
    precedence: Precedence,
    body: String,
    sent_at_ms: u64,
) -> BulkMessage {
    let envelope = Envelope {
        message_id: MessageId(id),
        label: label.to_bytes(),
        precedence,
        kind: TrafficKind::Operation,
        body: body.clone(),
        reference: None,
        sent_at_ms,
        context: None,
    };
    let encoded = envelope.encode();
    let signature = sender.device.sign(&Envelope::signing_input(&encoded));
    BulkMessage {
        envelope: encoded,
        signature,
        sender_chain: sender
            .chain
            .to_mls_credential()
            .serialized_content()
            .to_vec(),
        ..unsigned(id, sender, label, precedence, body, sent_at_ms)
    }
}

/// A message id as the engine draws them (`MessageId::sequenced`): the
/// sender's stream (here one per sender), its counter, random bytes.
pub(crate) fn id(rng: &mut Rng, stream: u32, counter: u64) -> [u8; 16] {
    let counter = u32::try_from(counter).unwrap_or(u32::MAX);
    MessageId::sequenced(stream.to_be_bytes(), counter, rng.next().to_be_bytes()).0
}

/// Where cached corpora live: next to the benchmark binary's profile
/// directory (`target/release/liaison-archive-bench/`).
pub(crate) fn cache_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(Path::parent).unwrap();
    let dir = profile.join("liaison-archive-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The cached corpus store: built on first use (a few minutes), then
/// opened in a second.
pub(crate) fn corpus() -> Engine {
    let dir = cache_dir();
    let name = format!("corpus-v{CORPUS_VERSION}-{SEARCH_MESSAGES}");
    let path = dir.join(format!("{name}.db"));
    let done = dir.join(format!("{name}.complete"));
    if !done.exists() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        build(&path);
        std::fs::write(&done, b"ok\n").unwrap();
    }
    let store = danger::open_with_raw_key(&path, &CORPUS_KEY).unwrap();
    Engine::open(store, registry()).unwrap()
}

fn build(path: &Path) {
    let started = Instant::now();
    eprintln!(
        "building the {SEARCH_MESSAGES}-message corpus at {}",
        path.display()
    );
    let nations = [nation("GBR"), nation("FRA"), nation("DEU")];
    let senders: Vec<Identity> = [
        (0, "gbr.smith"),
        (1, "fra.martin"),
        (2, "deu.weber"),
        (0, "gbr.jones"),
        (1, "fra.durand"),
        (2, "deu.fischer"),
    ]
    .iter()
    .map(|(n, id)| identity(&nations[*n], id))
    .collect();
    let store = danger::create_with_raw_key(path, &CORPUS_KEY).unwrap();
    let own = identity(&nations[0], "gbr.smith");
    // Bulk channels are inserted directly: nothing is joined, nothing pinned.
    let engine = Engine::create_profile(
        store,
        registry(),
        "gbr.smith",
        own.chain,
        own.device,
        &InitialTrust::onboarding(Vec::new()),
    )
    .unwrap();
    let [gbr, fra, deu] = &nations;
    let conn = engine.store().connection();
    let channels: Vec<ChannelId> = (0..SEARCH_CHANNELS)
        .map(|c| {
            let id = ChannelId(vec![u8::try_from(c).unwrap() + 1; 16]);
            let policy = policy(&format!("Search cell {c}"), "gbr.smith", &[gbr, fra, deu]);
            danger::insert_bulk_channel(conn, &id, &policy, now_ms()).unwrap();
            id
        })
        .collect();
    let vocabulary = vocabulary(20_000);
    let labels: Vec<Label> = LEVELS.iter().map(|m| label(m)).collect();
    let mut rng = Rng::new(2024);
    let start = now_ms() - 365 * DAY_MS;
    const BATCH: usize = 10_000;
    for batch in 0..SEARCH_MESSAGES / BATCH {
        let mut per_channel: Vec<Vec<BulkMessage>> = vec![Vec::new(); SEARCH_CHANNELS];
        for k in 0..BATCH {
            let n = (batch * BATCH + k) as u64;
            let which = rng.below(senders.len());
            let sender = &senders[which];
            let message = unsigned(
                id(&mut rng, which as u32, n),
                sender,
                &labels[rng.skewed(labels.len())],
                precedence(&mut rng),
                body(&mut rng, &vocabulary),
                start + n * 30_000,
            );
            per_channel[rng.below(SEARCH_CHANNELS)].push(message);
        }
        engine
            .store()
            .transaction(|store| {
                for (channel, messages) in channels.iter().zip(&per_channel) {
                    danger::insert_bulk_messages(store.connection(), channel, messages)?;
                }
                Ok::<_, liaison_core::EngineError>(())
            })
            .unwrap();
    }
    eprintln!("  searched messages stored after {:?}", started.elapsed());
    let export = ChannelId(vec![0xEE; 16]);
    let policy = policy(EXPORT_CHANNEL, "gbr.smith", &[gbr, fra, deu]);
    danger::insert_bulk_channel(conn, &export, &policy, now_ms()).unwrap();
    let start = now_ms() - 30 * DAY_MS;
    let messages: Vec<BulkMessage> = (0..EXPORT_MESSAGES)
        .map(|k| {
            let which = rng.below(senders.len());
            let sender = &senders[which];
            signed(
                id(&mut rng, which as u32, (SEARCH_MESSAGES + k) as u64),
                sender,
                &labels[rng.skewed(labels.len())],
                precedence(&mut rng),
                body(&mut rng, &vocabulary),
                start + k as u64 * 60_000,
            )
        })
        .collect();
    engine
        .store()
        .transaction(|store| danger::insert_bulk_messages(store.connection(), &export, &messages))
        .unwrap();
    engine
        .store()
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    eprintln!("  corpus built in {:?}", started.elapsed());
}
