//! The key-package directory and waiting Welcomes.

use liaison_proto::Bytes;
use liaison_proto::relay::{DirectoryEntry, ErrorCode};

use super::{Relay, unix_now};
use crate::auth::{Session, directory_key, officer_of_directory_key};
use crate::error::Error;
use crate::mls::{key_package_chain, parse_key_package};
use crate::storage::{KeyPackageCount, KeyPackageRecord};
use liaison_identity::Fingerprint;

impl Relay {
    /// Stores key packages of the authenticated officer; each must carry
    /// the officer's own credential and device key.
    pub(crate) fn publish_key_packages(
        &self,
        session: &Session,
        packages: Vec<Vec<u8>>,
    ) -> Result<KeyPackageCount, Error> {
        let limits = &self.config.limits;
        if packages.len() > usize::try_from(limits.max_key_packages).unwrap_or(usize::MAX) + 1 {
            return Err(Error::refused(
                ErrorCode::TooManyKeyPackages,
                format!(
                    "at most {} key packages per officer",
                    limits.max_key_packages
                ),
            ));
        }
        let mut records = Vec::with_capacity(packages.len());
        for package in packages {
            if package.len() > limits.max_message_bytes {
                return Err(Error::refused(ErrorCode::TooLarge, "key package too large"));
            }
            let parsed = parse_key_package(&self.crypto, &package)?;
            if parsed.officer_id != session.officer_id
                || parsed.signature_key != session.signature_key
            {
                return Err(Error::malformed(
                    "a key package's credential is not this officer's device",
                ));
            }
            records.push(KeyPackageRecord {
                hash_ref: parsed.hash_ref,
                package,
                last_resort: parsed.last_resort,
            });
        }
        let count = self.storage.publish_key_packages(
            &session.directory_key(),
            &records,
            limits.max_key_packages,
            unix_now(),
        )?;
        self.metrics
            .key_packages_published(u64::try_from(records.len()).unwrap_or(u64::MAX));
        Ok(count)
    }

    /// Hands out one key package of `officer_id` in the namespace of the
    /// partner authority with fingerprint `authority`; without one, of the
    /// only authority whose officers use that id.
    ///
    /// Each claimer has a budget ([`crate::config::Limits::claim_burst`],
    /// refilled at `claims_per_hour`): past it the claim is refused
    /// `rate_limited`, so nobody drains others' one-time packages quickly.
    pub(crate) fn claim_key_package(
        &self,
        claimer: &Session,
        officer_id: &str,
        authority: Option<&Bytes>,
    ) -> Result<Vec<u8>, Error> {
        let allowed = self
            .claims
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take(&claimer.directory_key(), std::time::Instant::now());
        if !allowed {
            return Err(Error::refused(
                ErrorCode::RateLimited,
                format!(
                    "an officer may claim {} key packages at once and {} an hour",
                    self.config.limits.claim_burst, self.config.limits.claims_per_hour
                ),
            ));
        }
        let key = match authority {
            Some(fingerprint) => {
                let bytes = <[u8; 32]>::try_from(fingerprint.0.as_slice()).map_err(|_| {
                    Error::malformed("an authority fingerprint is 32 bytes (SHA-256)")
                })?;
                directory_key(&Fingerprint::from_bytes(bytes), officer_id)
            }
            None => {
                let mut keys = self.storage.key_package_namespaces(officer_id)?;
                if keys.len() > 1 {
                    return Err(Error::refused(
                        ErrorCode::AmbiguousOfficer,
                        format!(
                            "officers of {} partner authorities use this id; name the authority",
                            keys.len()
                        ),
                    ));
                }
                keys.pop().ok_or_else(|| {
                    Error::refused(
                        ErrorCode::NoKeyPackage,
                        "no key package left for this officer",
                    )
                })?
            }
        };
        let package = self.storage.claim_key_package(&key)?.ok_or_else(|| {
            Error::refused(
                ErrorCode::NoKeyPackage,
                "no key package left for this officer",
            )
        })?;
        self.metrics.key_package_claimed();
        Ok(package)
    }

    /// Packages the officer has left.
    pub(crate) fn key_package_count(&self, session: &Session) -> Result<KeyPackageCount, Error> {
        Ok(self.storage.key_package_count(&session.directory_key())?)
    }

    /// The officers who can be added now (they hold a key package), with
    /// the certificate chain of their newest package. The partners' roster
    /// (names, nationality, clearance) is not for everyone: an admin of a
    /// channel, who adds members, sees every holder; another officer sees
    /// only the officers it shares a channel with. A package that no longer
    /// parses is skipped rather than failing the whole list.
    pub(crate) fn list_officers(
        &self,
        session: &Session,
        limit: u32,
    ) -> Result<Vec<DirectoryEntry>, Error> {
        let limit = limit.min(self.config.limits.max_fetch);
        let groups = self
            .storage
            .groups_of(&session.officer_id, &session.signature_key)?;
        let admin = groups.iter().any(|group_id| {
            self.load(group_id)
                .and_then(|group| group.policy())
                .is_ok_and(|policy| policy.is_admin(&session.officer_id))
        });
        let visible = if admin {
            None
        } else {
            Some(self.storage.members_of(&groups)?)
        };
        // Read every holder, keep the visible ones, sorted by officer id
        // (the directory files them by authority first).
        let mut holders: Vec<(String, Vec<u8>)> = self
            .storage
            .key_package_holders(u32::MAX)?
            .into_iter()
            .filter(|(key, _)| {
                visible.as_ref().is_none_or(|officers| {
                    officers.iter().any(|o| o == officer_of_directory_key(key))
                })
            })
            .collect();
        holders.sort_by(|(a, _), (b, _)| {
            officer_of_directory_key(a)
                .cmp(officer_of_directory_key(b))
                .then_with(|| a.cmp(b))
        });
        Ok(holders
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .filter_map(|(key, package)| {
                let chain = key_package_chain(&self.crypto, &package).ok()?;
                Some(DirectoryEntry {
                    officer_id: officer_of_directory_key(&key).to_owned(),
                    certificate_chain: chain.certificates().iter().cloned().map(Bytes).collect(),
                })
            })
            .collect())
    }

    /// The Welcomes waiting for the officer; they stay until dropped.
    pub(crate) fn welcomes(&self, session: &Session) -> Result<Vec<Vec<u8>>, Error> {
        Ok(self.storage.welcomes(
            &session.directory_key(),
            self.config.limits.max_answer_bytes,
        )?)
    }

    /// Deletes the officer's Welcomes named by their SHA-256; a hash that is
    /// not 32 bytes long is malformed.
    pub(crate) fn drop_welcomes(&self, session: &Session, hashes: &[Bytes]) -> Result<u32, Error> {
        let hashes = hashes
            .iter()
            .map(|hash| <[u8; 32]>::try_from(hash.0.as_slice()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Error::malformed("a Welcome hash is 32 bytes (SHA-256)"))?;
        let dropped = self
            .storage
            .drop_welcomes(&session.directory_key(), &hashes)?;
        Ok(u32::try_from(dropped).unwrap_or(u32::MAX))
    }
}
