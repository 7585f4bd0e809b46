//! A new channel from the window: the label policies the structured picker
//! offers, what the new-channel screen chooses from (the pinned partner
//! authorities as trust anchors, a starting ceiling, the relay's directory
//! for admins), the check of a request and the creation itself.
//!
//! A request is checked whole, every issue at once ([`PolicyIssue`]): the
//! channel's own rules (`policy_check.rs`), the anchors (pinned ones only,
//! the user's own authority among them), and the user's clearance against
//! the ceiling. Admins the directory knows are checked against the ceiling
//! too, as a warning: the policy may name them, but they cannot be added
//! until their clearance and nationality admit it (rule 2). With the relay
//! out of reach that warning is skipped; creation itself needs no relay.

use std::time::SystemTime;

use super::Desk;
use super::compose::own_clearance;
use super::error::DeskError;
use super::label_spec::policy_view;
use super::policy::refusal;
use super::policy_check::{
    PolicyDraft, admission_reason, check_policy, directory_admin_issues, directory_if_online,
};
use super::requests::NewChannelRequest;
use super::trust::parse_fingerprint;
use super::views::{
    AdmissionReason, AnchorChoice, LabelPolicyView, LabelSpec, NewChannelForm, OfficerView,
    PolicyIssue, TagSpec,
};
use liaison_core::{Engine, PinnedAuthority, clearance_marking};
use liaison_identity::{CertificateChain, TrustAnchors, verify_credential};
use liaison_proto::channel_policy::MAX_AUTHORITIES;
use liaison_rules::ChannelPolicy;

/// Most officers read from the relay's directory.
const DIRECTORY_LIMIT: u32 = 1000;

/// Whether `anchors` certify the user's own certificate.
fn certifies_user(engine: &Engine, anchors: &TrustAnchors) -> bool {
    let chain = engine.certificate_chain();
    chain
        .leaf_public_key()
        .is_ok_and(|key| verify_credential(chain, anchors, SystemTime::now(), &key).is_ok())
}

/// Whether the pinned authority `pinned` certifies the user.
fn is_own(engine: &Engine, pinned: &PinnedAuthority) -> bool {
    TrustAnchors::new(vec![pinned.certificate.clone()])
        .is_ok_and(|anchors| certifies_user(engine, &anchors))
}

/// The anchors the request names, or the issues that refuse them.
fn chosen_anchors(
    engine: &Engine,
    request: &NewChannelRequest,
) -> Result<Result<TrustAnchors, Vec<PolicyIssue>>, DeskError> {
    if request.anchors.len() > MAX_AUTHORITIES {
        return Ok(Err(vec![PolicyIssue::TooManyAnchors {
            max: u32::try_from(MAX_AUTHORITIES).unwrap_or(u32::MAX),
        }]));
    }
    let pinned = engine.pinned_authorities()?;
    let mut issues = Vec::new();
    let mut certificates: Vec<Vec<u8>> = Vec::new();
    for text in &request.anchors {
        let found = parse_fingerprint(text, "anchors")
            .ok()
            .and_then(|fingerprint| pinned.iter().find(|p| p.fingerprint == fingerprint));
        match found {
            Some(authority) if !certificates.contains(&authority.certificate) => {
                certificates.push(authority.certificate.clone());
            }
            Some(_) => {}
            None => issues.push(PolicyIssue::UnknownAnchor {
                fingerprint: text.clone(),
            }),
        }
    }
    if certificates.is_empty() && issues.is_empty() {
        issues.push(PolicyIssue::NoAnchor);
    }
    if !issues.is_empty() {
        return Ok(Err(issues));
    }
    // Pinned certificates passed this very check when they were pinned.
    let anchors = TrustAnchors::new(certificates).map_err(|e| {
        DeskError::internal(format!("a pinned authority is not a trust anchor: {e}"))
    })?;
    if !certifies_user(engine, &anchors) {
        return Ok(Err(vec![PolicyIssue::OwnAuthorityMissing]));
    }
    Ok(Ok(anchors))
}

/// The request checked: the policy when nothing refuses it, and every issue.
fn check_request(
    engine: &Engine,
    request: &NewChannelRequest,
    directory: &[(String, CertificateChain)],
) -> Result<(Option<ChannelPolicy>, Vec<PolicyIssue>), DeskError> {
    let me = engine.officer_id().to_owned();
    let mut admins = vec![me.clone()];
    admins.extend(request.admins.iter().filter(|a| a.trim() != me).cloned());
    let (anchors, mut issues) = match chosen_anchors(engine, request)? {
        Ok(anchors) => (Some(anchors), Vec::new()),
        Err(issues) => (None, issues),
    };
    let draft = PolicyDraft {
        name: &request.name,
        ceiling: &request.ceiling,
        default_label: &request.default_label,
        admins: &admins,
        retention_days: request.retention_days,
        on_removal: request.on_removal,
    };
    let checked = check_policy(&draft, anchors, engine.registry(), None);
    issues.extend(checked.issues);
    let Some(policy) = checked.policy else {
        return Ok((None, issues));
    };
    match own_clearance(engine) {
        Some((clearance, nation)) => {
            if let Err(reason) = clearance.admits(policy.ceiling(), &nation) {
                issues.push(PolicyIssue::SelfNotAdmitted {
                    reason: admission_reason(reason),
                });
            }
        }
        None => issues.push(PolicyIssue::SelfNotAdmitted {
            reason: AdmissionReason::ClearanceUnknown,
        }),
    }
    let others: Vec<&String> = policy.admins().iter().filter(|a| **a != me).collect();
    issues.extend(directory_admin_issues(
        &policy,
        &others,
        directory,
        engine.registry(),
    ));
    let refused = issues.iter().any(PolicyIssue::refuses);
    Ok((if refused { None } else { Some(policy) }, issues))
}

impl Desk {
    /// The label policies the profile knows, as the structured label
    /// picker offers them.
    pub async fn label_policies(&self) -> Result<Vec<LabelPolicyView>, DeskError> {
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        Ok(engine
            .registry()
            .iter()
            .map(|policy| policy_view(policy))
            .collect())
    }

    /// What the new-channel screen chooses from: the pinned partner
    /// authorities (the user's own first, flagged) and a starting ceiling.
    pub async fn new_channel_form(&self) -> Result<NewChannelForm, DeskError> {
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        let mut anchors: Vec<AnchorChoice> = engine
            .pinned_authorities()?
            .iter()
            .map(|pinned| AnchorChoice {
                fingerprint: pinned.fingerprint.to_string(),
                name: pinned.name.clone(),
                own: is_own(&engine, pinned),
            })
            .collect();
        anchors.sort_by_key(|anchor| !anchor.own);
        let suggested_ceiling = own_clearance(&engine).map(|(clearance, nation)| {
            let policy = clearance.policy();
            LabelSpec {
                policy_id: policy.id().to_owned(),
                classification: clearance.level().name().to_owned(),
                tags: vec![TagSpec {
                    category: policy.releasability().name().to_owned(),
                    value: nation.as_str().to_owned(),
                }],
            }
        });
        Ok(NewChannelForm {
            anchors,
            suggested_ceiling,
        })
    }

    /// Officers of the relay's directory whose certificate a pinned
    /// partner authority certifies, the user left out: a new channel's
    /// admin candidates. Needs the relay.
    pub async fn officer_directory(&self) -> Result<Vec<OfficerView>, DeskError> {
        let shared = self.shared().await?;
        let client = shared.client()?;
        let officers = client.list_officers(DIRECTORY_LIMIT).await?;
        let engine = shared.engine().await;
        let pinned: Vec<Vec<u8>> = engine
            .pinned_authorities()?
            .into_iter()
            .map(|p| p.certificate)
            .collect();
        let Ok(anchors) = TrustAnchors::new(pinned) else {
            return Ok(Vec::new());
        };
        let now = SystemTime::now();
        let mut out: Vec<OfficerView> = officers
            .iter()
            .filter(|(id, _)| *id != shared.officer_id)
            .filter_map(|(_, chain)| {
                let key = chain.leaf_public_key().ok()?;
                let verified = verify_credential(chain, &anchors, now, &key).ok()?;
                let officer = verified.attributes();
                Some(OfficerView {
                    officer_id: officer.officer_id().to_owned(),
                    display_name: officer.display_name().to_owned(),
                    organisation: officer.organisation().to_owned(),
                    nationality: officer.nationality().to_string(),
                    clearance: clearance_marking(officer.clearance(), engine.registry()),
                    authority: verified.anchor_fingerprint().to_string(),
                })
            })
            .collect();
        out.sort_by(|a, b| (&a.display_name, &a.officer_id).cmp(&(&b.display_name, &b.officer_id)));
        Ok(out)
    }

    /// Every issue of a new channel request, refusing or warning; empty
    /// when the channel can be created as it is.
    pub async fn check_new_channel(
        &self,
        request: &NewChannelRequest,
    ) -> Result<Vec<PolicyIssue>, DeskError> {
        let shared = self.shared().await?;
        let directory = directory_if_online(&shared).await;
        let engine = shared.engine().await;
        Ok(check_request(&engine, request, &directory)?.1)
    }

    /// Creates the requested channel with the user as its only member and
    /// one of its admins; refused (`invalidInput`, with the field) for the
    /// first issue that refuses it. The engine records it in the audit log;
    /// the runtime registers it with the relay (at once when online, else
    /// when the relay is back). Returns its hex id.
    pub async fn new_channel(&self, request: &NewChannelRequest) -> Result<String, DeskError> {
        let shared = self.shared().await?;
        let directory = directory_if_online(&shared).await;
        let (policy, issues) = {
            let engine = shared.engine().await;
            check_request(&engine, request, &directory)?
        };
        match policy {
            Some(policy) => self.create_channel(policy).await,
            None => Err(refusal(&issues)),
        }
    }
}
