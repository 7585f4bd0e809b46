//! Writes the seed inputs of every fuzz target, `<dir>/<target>/<name>`,
//! from real objects: labels, envelopes, relay frames, MLS messages made by
//! real engines, policies, certificates, credentials and archives. Run by
//! `cargo xtask fuzz seeds` (into `fuzz/seeds`); the seeds are committed,
//! so a fuzzing run starts from inputs that reach deep into each decoder.
//!
//! It also checks that the archive bench writes archives the engine
//! imports (see `liaison_fuzz::archive`): otherwise the archive targets
//! would only ever exercise the first refusal.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use liaison_core::{
    ArchiveProtection, ChannelId, Draft, Engine, ExportRequest, InitialTrust, KdfParams,
    OutgoingKind, Passphrase, danger,
};
use liaison_fuzz::archive::{ArchiveBench, MAGIC};
use liaison_fuzz::world::{self, Nation, Officer};
use liaison_fuzz::{registry, verify_at};
use liaison_identity::{CertificateSerial, TrustAnchors};
use liaison_proto::codec::Writer;
use liaison_proto::relay::{
    ClientFrame, DirectoryEntry, ErrorCode, Push, RelayError, Request, Response, ResponseResult,
    ServerFrame,
};
use liaison_proto::{
    Binding, Bytes, CommitStamp, Delivery, Envelope, MessageId, Payload, Precedence, Reference,
    ReferenceKind, Submission, SubmitOutcome, TrafficKind,
};
use liaison_rules::{ChannelPolicy, HistoryOnRemoval, Label};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Seeds {
    root: PathBuf,
    count: usize,
}

impl Seeds {
    fn put(&mut self, target: &str, name: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        let dir = self.root.join(target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(name), bytes)?;
        self.count += 1;
        Ok(())
    }
}

const SENT_AT_MS: u64 = liaison_fuzz::VERIFY_AT_SECS * 1000;

fn envelope(id: u8, label: &Label, body: &str, reference: Option<Reference>) -> Envelope {
    Envelope {
        message_id: MessageId([id; 16]),
        label: label.to_bytes(),
        precedence: if reference.is_some() {
            Precedence::Flash
        } else {
            Precedence::Routine
        },
        kind: TrafficKind::Operation,
        body: body.to_owned(),
        reference,
        sent_at_ms: SENT_AT_MS + u64::from(id),
        context: None,
    }
}

fn credential_content(officer: &Officer) -> Vec<u8> {
    officer
        .chain
        .to_mls_credential()
        .serialized_content()
        .to_vec()
}

/// The record stream inside an archive (`docs/archive.md`).
fn record(out: &mut Vec<u8>, kind: u8, body: Writer) {
    let body = body.into_bytes();
    out.push(kind);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&body);
}

fn manifest(out: &mut Vec<u8>, policy: &ChannelPolicy, messages: u64) {
    let mut w = Writer::new();
    w.string("gbr-alice")
        .bytes(&[0x11; 16])
        .string(policy.partnership())
        .bytes(&policy.encode())
        .flag(true)
        .u64(SENT_AT_MS)
        .flag(false)
        .u64(0)
        .u64(messages);
    record(out, 1, w);
}

fn message(out: &mut Vec<u8>, officer: &Officer, envelope: &Envelope, seq: Option<u64>) {
    let encoded = envelope.encode();
    let signature = officer.device.sign(&Envelope::signing_input(&encoded));
    let mut w = Writer::new();
    w.raw(&envelope.message_id.0)
        .flag(seq.is_some())
        .u64(seq.unwrap_or(0))
        .u64(1)
        .u64(envelope.sent_at_ms + 5)
        .bytes(&encoded)
        .raw(&signature)
        .bytes(&credential_content(officer));
    record(out, 2, w);
}

fn end(out: &mut Vec<u8>, messages: u64) {
    let mut w = Writer::new();
    w.u64(messages);
    record(out, 3, w);
}

fn wire(seeds: &mut Seeds, labels: &[Label]) -> Result<()> {
    let secret = &labels[0];
    let plain = envelope(1, secret, "Convoy leaves at 0600.", None);
    let reply = envelope(
        2,
        &labels[1],
        "Acknowledged, escort ready.",
        Some(Reference {
            kind: ReferenceKind::Reply,
            message_id: MessageId([1; 16]),
            label: secret.to_bytes(),
        }),
    );
    seeds.put("envelope", "envelope", plain.encode())?;
    seeds.put("envelope", "envelope-reply", reply.encode())?;
    seeds.put(
        "envelope",
        "payload-message",
        Payload::Message {
            envelope: plain.encode(),
            signature: [0x33; 64],
        }
        .encode(),
    )?;
    seeds.put(
        "envelope",
        "payload-ack",
        Payload::Ack {
            message_id: MessageId([1; 16]),
        }
        .encode(),
    )?;
    seeds.put("binding", "binding", plain.binding().encode())?;
    seeds.put("binding", "binding-reply", reply.binding().encode())?;
    let mut checked = plain.binding();
    checked.epoch_check = Some([0x77; 16]);
    seeds.put("binding", "binding-epoch-check", checked.encode())?;
    let stamp = CommitStamp {
        instant: liaison_fuzz::VERIFY_AT_SECS,
    };
    seeds.put("binding", "commit-stamp", stamp.encode())?;
    let _ = Binding::decode(&plain.binding().encode())?;

    for (i, label) in labels.iter().enumerate() {
        seeds.put("label", &format!("label-{i}"), label.to_bytes())?;
        seeds.put("label", &format!("marking-{i}"), label.marking())?;
    }
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/liaison-rules/policies");
    for entry in std::fs::read_dir(&policies)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("policy");
            seeds.put("policy_file", name, std::fs::read(&path)?)?;
        }
    }
    Ok(())
}

fn relay_frames(seeds: &mut Seeds, officer: &Officer) -> Result<()> {
    let chain: Vec<Bytes> = officer
        .chain
        .certificates()
        .iter()
        .map(|der| Bytes(der.clone()))
        .collect();
    let group = Bytes(vec![0x22; 16]);
    let submission = Submission {
        group_id: vec![0x22; 16],
        message: vec![0, 1, 0, 2, 3, 4],
        welcome: Some(vec![0, 1, 0, 3]),
    };
    let delivery = Delivery {
        group_id: vec![0x22; 16],
        seq: 7,
        message: vec![0, 1, 0, 2, 3, 4],
    };
    let requests = [
        Request::Authenticate {
            certificate_chain: chain.clone(),
            signature: Bytes(vec![0x44; 64]),
        },
        Request::PublishKeyPackages {
            key_packages: vec![Bytes(vec![0, 1, 0, 5])],
        },
        Request::KeyPackageCount,
        Request::CreateGroup {
            group_id: group.clone(),
            group_info: Bytes(vec![0, 1, 0, 4]),
        },
        Request::Submit(submission.clone()),
        Request::Fetch {
            group_id: group.clone(),
            after: 3,
            limit: 100,
        },
        Request::Subscribe {
            group_id: group.clone(),
            after: 0,
        },
        Request::Welcomes,
        Request::DropWelcomes {
            hashes: vec![Bytes(vec![0x55; 32])],
        },
        Request::ListOfficers { limit: 50 },
    ];
    for (i, request) in requests.into_iter().enumerate() {
        let frame = ClientFrame {
            id: i as u64 + 1,
            request,
        };
        seeds.put(
            "relay_request",
            &format!("request-{i}"),
            serde_json::to_vec(&frame)?,
        )?;
    }
    // As text: this request is growing fields while the protocol evolves.
    seeds.put(
        "relay_request",
        "request-claim",
        r#"{"id":20,"op":"claim_key_package","officer_id":"fra-bob"}"#,
    )?;
    seeds.put(
        "relay_request",
        "request-claim-authority",
        r#"{"id":21,"op":"claim_key_package","officer_id":"fra-bob","authority":"VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVU="}"#,
    )?;
    let responses = [
        Response::Authenticated {
            officer_id: officer.id.clone(),
        },
        Response::Published {
            one_time: 4,
            last_resort: true,
        },
        Response::KeyPackage {
            key_package: Bytes(vec![0, 1, 0, 5]),
        },
        Response::KeyPackageCount {
            one_time: 3,
            last_resort: true,
        },
        Response::GroupCreated,
        Response::Submitted {
            outcome: SubmitOutcome::Accepted { seq: 8 },
        },
        Response::Submitted {
            outcome: SubmitOutcome::WrongEpoch { current: 2 },
        },
        Response::Deliveries {
            deliveries: vec![delivery.clone()],
        },
        Response::Subscribed,
        Response::Welcomes {
            welcomes: vec![Bytes(vec![0, 1, 0, 3])],
        },
        Response::WelcomesDropped { dropped: 1 },
        Response::Officers {
            officers: vec![DirectoryEntry {
                officer_id: officer.id.clone(),
                certificate_chain: chain.clone(),
            }],
        },
    ];
    let mut frames: Vec<ServerFrame> = responses
        .into_iter()
        .enumerate()
        .map(|(i, response)| ServerFrame::Response {
            id: i as u64 + 1,
            result: ResponseResult::Ok(response),
        })
        .collect();
    frames.push(ServerFrame::Response {
        id: 99,
        result: ResponseResult::Error(RelayError {
            code: ErrorCode::RateLimited,
            message: "too many requests; slow down".into(),
        }),
    });
    frames.push(ServerFrame::Push {
        push: Push::Challenge {
            nonce: Bytes(vec![0x66; 32]),
            relay: "relay.example".into(),
            version: 1,
        },
    });
    frames.push(ServerFrame::Push {
        push: Push::Deliver {
            delivery: delivery.clone(),
        },
    });
    frames.push(ServerFrame::Push {
        push: Push::Welcome {
            welcome: Bytes(vec![0, 1, 0, 3]),
        },
    });
    for (i, frame) in frames.iter().enumerate() {
        seeds.put(
            "relay_answer",
            &format!("answer-{i}"),
            serde_json::to_vec(frame)?,
        )?;
    }
    seeds.put(
        "delivery",
        "submission.json",
        serde_json::to_vec(&submission)?,
    )?;
    seeds.put("delivery", "delivery.json", serde_json::to_vec(&delivery)?)?;
    seeds.put(
        "delivery",
        "outcome.json",
        serde_json::to_vec(&SubmitOutcome::WrongEpoch { current: 4 })?,
    )?;
    Ok(())
}

fn engine(dir: &Path, officer: &Officer) -> Result<Engine> {
    let store = danger::create_with_raw_key(dir.join(format!("{}.db", officer.id)), &[9; 32])?;
    Ok(Engine::create_profile(
        store,
        Arc::clone(registry()),
        &officer.id,
        officer.chain.clone(),
        liaison_identity::DeviceKey::from_seed(&officer.device.to_seed()),
        // The seeds' engines join nothing (the outbox is read directly).
        &InitialTrust::onboarding(Vec::new()),
    )?)
}

/// Key packages, a GroupInfo, a commit with its Welcome and an application
/// message, made by real engines (offline: the outbox is read directly).
fn mls(
    seeds: &mut Seeds,
    dir: &Path,
    policy: &ChannelPolicy,
    alice: &Officer,
    bob: &Officer,
) -> Result<ChannelId> {
    let mut a = engine(dir, alice)?;
    let mut b = engine(dir, bob)?;
    let packages = b.generate_key_packages(1, true)?;
    for (i, package) in packages.iter().enumerate() {
        seeds.put("delivery", &format!("key-package-{i}"), package)?;
    }
    let channel = a.create_channel(policy.clone())?;
    a.send(&channel, Draft::text("Radio check."))?;
    a.add_members(&channel, &packages[..1])?;
    for outgoing in a.outbox()? {
        let kind = match outgoing.kind {
            OutgoingKind::Application => "application",
            OutgoingKind::Proposal => "proposal",
            OutgoingKind::Commit => "commit",
            OutgoingKind::Create => "group-info",
        };
        seeds.put(
            "delivery",
            &format!("{kind}-{}", outgoing.outbox_id),
            &outgoing.message,
        )?;
        if let Some(welcome) = &outgoing.welcome {
            seeds.put(
                "delivery",
                &format!("welcome-{}", outgoing.outbox_id),
                welcome,
            )?;
        }
    }
    // Archives as the engine writes them, for the header target.
    let passphrase = dir.join("passphrase.archive");
    a.export_archive(
        &ExportRequest {
            channel: channel.clone(),
            from_ms: None,
            to_ms: None,
            path: passphrase.clone(),
            protection: ArchiveProtection::Passphrase {
                passphrase: Passphrase::new("correct horse".into()),
                params: KdfParams::new(64, 1, 1)?,
            },
        },
        &mut |_| {},
    )?;
    seeds.put("archive_header", "passphrase", std::fs::read(&passphrase)?)?;
    let certificate = dir.join("certificate.archive");
    a.export_archive(
        &ExportRequest {
            channel: channel.clone(),
            from_ms: None,
            to_ms: None,
            path: certificate.clone(),
            protection: ArchiveProtection::Certificate(alice.chain.clone()),
        },
        &mut |_| {},
    )?;
    seeds.put(
        "archive_header",
        "certificate",
        std::fs::read(&certificate)?,
    )?;
    Ok(channel)
}

fn identity(seeds: &mut Seeds, gbr: &mut Nation, officer: &Officer) -> Result<()> {
    let leaf = officer.chain.leaf().to_vec();
    let root = gbr.authority.certificate_der().to_vec();
    seeds.put("certificate", "officer.der", &leaf)?;
    seeds.put("certificate", "authority.der", &root)?;
    seeds.put("certificate", "chain.pem", officer.chain.to_pem())?;
    // A throwaway authority made for this file; it signs nothing else.
    seeds.put(
        "certificate",
        "throwaway-authority.pem",
        gbr.authority.to_pem().as_bytes(),
    )?;
    let validity = liaison_identity::Validity::new(
        UNIX_EPOCH + Duration::from_secs(liaison_fuzz::VERIFY_AT_SECS - 86_400 * 365),
        UNIX_EPOCH + Duration::from_secs(liaison_fuzz::VERIFY_AT_SECS + 86_400 * 365),
    )?;
    let issuing = gbr.authority.issue_subordinate(
        "GBR Liaison Issuing CA",
        "GBR Ministry of Defence",
        &gbr.code,
        validity,
    )?;
    seeds.put("certificate", "issuing-ca.der", issuing.certificate_der())?;
    // Revokes a serial no certificate has, so the officer stays valid.
    gbr.authority
        .revoke(&CertificateSerial::from_bytes(&[0x7f, 0x01, 0x02, 0x03])?);
    let crl = gbr.authority.crl(
        verify_at() - Duration::from_secs(86_400),
        verify_at() + Duration::from_secs(86_400 * 30),
    )?;
    seeds.put("certificate", "revocation-list.der", &crl)?;

    // Credentials: the chain with the root appended, so the target
    // verifies it against its own last certificate.
    let mut with_root = officer.chain.certificates().to_vec();
    with_root.push(root.clone());
    let chain = liaison_identity::CertificateChain::from_der(with_root)?;
    seeds.put(
        "credential",
        "officer-and-root",
        chain.to_mls_credential().serialized_content(),
    )?;
    seeds.put("credential", "officer", credential_content(officer))?;

    // Channel policies: plain, with an intermediate and a CRL, with retention.
    let policy = world::policy("GBR-FRA border cell", &["gbr-alice"], &[&*gbr]);
    seeds.put("channel_policy", "plain", policy.encode())?;
    let anchors = TrustAnchors::new(vec![root])?
        .with_intermediate(issuing.certificate_der().to_vec())?
        .with_crl(crl)?;
    let full = policy
        .with_anchors(anchors)?
        .with_retention(Some(30), HistoryOnRemoval::Purge);
    seeds.put(
        "channel_policy",
        "intermediate-crl-retention",
        full.encode(),
    )?;
    Ok(())
}

/// Archive plaintext seeds (selector byte, then records), each checked to
/// import through the bench.
fn archives(
    seeds: &mut Seeds,
    policy: &ChannelPolicy,
    officers: &[&Officer],
    labels: &[Label],
) -> Result<()> {
    let mut bench = ArchiveBench::new();
    let mut streams: Vec<(&str, u8, Vec<u8>)> = Vec::new();

    let mut empty = Vec::new();
    manifest(&mut empty, policy, 0);
    end(&mut empty, 0);
    streams.push(("empty", 3, empty));

    let mut messages = Vec::new();
    manifest(&mut messages, policy, 3);
    for (i, officer) in officers.iter().enumerate() {
        let body = format!("Message {i} from {}.", officer.id);
        message(
            &mut messages,
            officer,
            &envelope(i as u8 + 1, &labels[1], &body, None),
            Some(i as u64 + 1),
        );
    }
    let reply = envelope(
        9,
        &labels[0],
        "Reply.",
        Some(Reference {
            kind: ReferenceKind::Quote,
            message_id: MessageId([1; 16]),
            label: labels[1].to_bytes(),
        }),
    );
    message(&mut messages, officers[0], &reply, None);
    end(&mut messages, 3);
    streams.push(("messages-64", 3, messages.clone()));
    streams.push(("messages-2048", 127, messages));

    for (name, selector, stream) in streams {
        let mut input = vec![selector];
        input.extend_from_slice(&stream);
        let chunk_size = (u32::from(selector & 0x7f) + 1) * 16;
        let file = bench.seal(
            liaison_fuzz::archive::archive_id_of(&input),
            chunk_size,
            &stream,
        );
        let report = bench
            .import(&file)
            .map_err(|e| format!("the {name} seed does not import: {e}"))?;
        println!("seed archive {name}: {report:?}");
        seeds.put("archive_chunks", name, &input)?;
        if name == "empty" {
            seeds.put("archive_header", "bench", &file)?;
        }
    }
    // Chunk framing (raw mode): a zero-length chunk, a short one, one tag.
    seeds.put("archive_chunks", "raw-empty-chunk", [0x83, 0, 0, 0, 0])?;
    seeds.put("archive_chunks", "raw-tag-only", {
        let mut raw = vec![0x83, 0, 0, 0, 16];
        raw.extend_from_slice(&[0; 16]);
        raw
    })?;
    seeds.put("archive_header", "magic-only", MAGIC)?;
    Ok(())
}

fn main() -> Result<()> {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"));
    let _ = std::fs::remove_dir_all(&root);
    let mut seeds = Seeds { root, count: 0 };
    let scratch = tempfile::tempdir()?;

    let labels: Vec<Label> = [
        "NATO SECRET//REL TO DEU, FRA, GBR",
        "NATO RESTRICTED//REL TO DEU, FRA, GBR",
        "NATO CONFIDENTIAL",
        "NATO UNCLASSIFIED",
    ]
    .iter()
    .map(|m| world::label(m))
    .collect();
    let nato = registry().get("NATO").ok_or("no NATO policy")?.clone();
    let mut extra = vec![
        Label::builder(&nato, "NATO SECRET")
            .releasable_to("GBR")
            .privacy_mark("STAFF")
            .originator("gbr-alice")
            .created_at(liaison_fuzz::VERIFY_AT_SECS)
            .build()?,
    ];
    for policy in registry().iter() {
        if let Some(level) = policy.levels().last() {
            extra.push(Label::builder(policy, level.name()).build()?);
        }
    }
    let all: Vec<Label> = labels.iter().cloned().chain(extra).collect();

    let mut gbr = world::nation("GBR");
    let fra = world::nation("FRA");
    let alice = world::officer(&gbr, "gbr-alice", "NATO SECRET");
    let bob = world::officer(&fra, "fra-bob", "NATO SECRET");

    wire(&mut seeds, &all)?;
    relay_frames(&mut seeds, &alice)?;
    identity(&mut seeds, &mut gbr, &alice)?;
    let policy = world::policy("GBR-FRA border cell", &["gbr-alice"], &[&gbr, &fra]);
    mls(&mut seeds, scratch.path(), &policy, &alice, &bob)?;
    archives(&mut seeds, &policy, &[&alice, &bob], &labels)?;
    println!("{} seeds in {}", seeds.count, seeds.root.display());
    Ok(())
}
