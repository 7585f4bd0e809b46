//! One request frame: parse, check, run on a blocking thread, answer.

use std::time::SystemTime;

use liaison_proto::relay::{ClientFrame, ErrorCode, Request, Response};
use liaison_proto::{Bytes, Seq};
use serde::Deserialize;
use tracing::Instrument as _;

use super::connection::{Connection, relay_of, still_valid, within_rate};
use crate::auth::{self, Session};
use crate::error::Error;
use crate::relay::ConnectionPermit;

/// What the connection does after answering.
pub(super) enum FollowUp {
    /// Start pushing a group's deliveries.
    Subscribe {
        /// The group.
        group_id: Vec<u8>,
        /// From this cursor.
        after: Seq,
    },
}

/// Only the id, to answer a frame that does not parse or is too large.
#[derive(Deserialize)]
struct IdOnly {
    id: u64,
}

fn op_name(request: &Request) -> &'static str {
    match request {
        Request::Authenticate { .. } => "authenticate",
        Request::PublishKeyPackages { .. } => "publish_key_packages",
        Request::ClaimKeyPackage { .. } => "claim_key_package",
        Request::KeyPackageCount => "key_package_count",
        Request::CreateGroup { .. } => "create_group",
        Request::Submit(_) => "submit",
        Request::Fetch { .. } => "fetch",
        Request::Subscribe { .. } => "subscribe",
        Request::Welcomes => "welcomes",
        Request::DropWelcomes { .. } => "drop_welcomes",
        Request::ListOfficers { .. } => "list_officers",
        Request::RequestRejoin { .. } => "request_rejoin",
        Request::RejoinRequests { .. } => "rejoin_requests",
    }
}

/// Handles one text frame. Returns whether to keep the connection, and
/// what to do once the answer is queued.
pub(super) async fn handle_frame(
    connection: &mut Connection,
    text: &str,
) -> (bool, Option<FollowUp>) {
    let limits = &connection.state.relay.config.limits;
    let id_of = |text: &str| serde_json::from_str::<IdOnly>(text).map_or(0, |f| f.id);
    if text.len() > limits.max_frame_bytes {
        let error = Error::refused(
            ErrorCode::TooLarge,
            format!("frames are limited to {} bytes", limits.max_frame_bytes),
        );
        return (connection.answer(id_of(text), Err(error)).await, None);
    }
    let frame: ClientFrame = match serde_json::from_str(text) {
        Ok(frame) => frame,
        Err(_) => {
            let error = Error::malformed("not a request frame of protocol version 1");
            return (connection.answer(id_of(text), Err(error)).await, None);
        }
    };
    let span = tracing::info_span!("request", id = frame.id, op = op_name(&frame.request));
    handle_request(connection, frame).instrument(span).await
}

async fn handle_request(
    connection: &mut Connection,
    frame: ClientFrame,
) -> (bool, Option<FollowUp>) {
    let ClientFrame { id, request } = frame;
    if !within_rate(connection) {
        let error = Error::refused(ErrorCode::RateLimited, "too many requests; slow down");
        return (connection.answer(id, Err(error)).await, None);
    }
    let session = match (&connection.session, request) {
        (
            None,
            Request::Authenticate {
                certificate_chain,
                signature,
            },
        ) => return authenticate(connection, id, certificate_chain, signature).await,
        (None, _) => {
            let error = Error::refused(ErrorCode::Unauthenticated, "authenticate first");
            return (connection.answer(id, Err(error)).await, None);
        }
        (Some(_), Request::Authenticate { .. }) => {
            let error = Error::malformed("this connection is already authenticated");
            return (connection.answer(id, Err(error)).await, None);
        }
        (Some(session), request) => (session.clone(), request),
    };
    let (session, request) = session;
    if !still_valid(&session) {
        let error = Error::refused(ErrorCode::Expired, "the certificate has expired");
        connection.answer(id, Err(error)).await;
        return (false, None);
    }
    let (result, follow_up) = run(connection, session, request).await;
    (connection.answer(id, result).await, follow_up)
}

async fn authenticate(
    connection: &mut Connection,
    id: u64,
    certificate_chain: Vec<Bytes>,
    signature: Bytes,
) -> (bool, Option<FollowUp>) {
    let relay = relay_of(connection);
    let nonce = connection.nonce;
    let Some(binding) = connection.binding else {
        let error = Error::refused(
            ErrorCode::Unauthenticated,
            "this connection has no TLS channel binding to authenticate with",
        );
        return (connection.answer(id, Err(error)).await, None);
    };
    let relay_for_permit = relay_of(connection);
    let verdict = tokio::task::spawn_blocking(move || {
        auth::authenticate(
            &relay.trust(),
            &relay.config.name,
            &nonce,
            &binding,
            certificate_chain,
            &signature.0,
            SystemTime::now(),
        )
    })
    .await
    .map_err(Error::from)
    .and_then(|verdict| verdict)
    .and_then(|session| {
        let permit = ConnectionPermit::take(relay_for_permit, session.directory_key())?;
        Ok((session, permit))
    });
    match verdict {
        Ok((session, permit)) => {
            connection.permit = Some(permit);
            tracing::Span::current().record("officer", session.officer_id.as_str());
            tracing::info!(officer = %session.officer_id, "authenticated");
            connection.state.relay.metrics.authenticated();
            let officer_id = session.officer_id.clone();
            connection.session = Some(session);
            let response = Response::Authenticated { officer_id };
            (connection.answer(id, Ok(response)).await, None)
        }
        Err(error) => {
            tracing::info!(code = ?error.code(), "authentication refused");
            connection.answer(id, Err(error)).await;
            (false, None)
        }
    }
}

/// Runs an authenticated request on a blocking thread (database and MLS
/// verification).
async fn run(
    connection: &Connection,
    session: Session,
    request: Request,
) -> (Result<Response, Error>, Option<FollowUp>) {
    let relay = relay_of(connection);
    let subscribe = match &request {
        Request::Subscribe { group_id, after } => Some(FollowUp::Subscribe {
            group_id: group_id.0.clone(),
            after: *after,
        }),
        _ => None,
    };
    let result = tokio::task::spawn_blocking(move || -> Result<Response, Error> {
        match request {
            Request::PublishKeyPackages { key_packages } => {
                let packages = key_packages.into_iter().map(Vec::from).collect();
                let count = relay.publish_key_packages(&session, packages)?;
                Ok(Response::Published {
                    one_time: count.one_time,
                    last_resort: count.last_resort,
                })
            }
            Request::ClaimKeyPackage {
                officer_id,
                authority,
            } => Ok(Response::KeyPackage {
                key_package: Bytes(relay.claim_key_package(
                    &session,
                    &officer_id,
                    authority.as_ref(),
                )?),
            }),
            Request::KeyPackageCount => {
                let count = relay.key_package_count(&session)?;
                Ok(Response::KeyPackageCount {
                    one_time: count.one_time,
                    last_resort: count.last_resort,
                })
            }
            Request::CreateGroup {
                group_id,
                group_info,
            } => {
                relay.create_group(&session, &group_id.0, &group_info.0)?;
                Ok(Response::GroupCreated)
            }
            Request::Submit(submission) => Ok(Response::Submitted {
                outcome: relay.submit(&session, submission)?,
            }),
            Request::Fetch {
                group_id,
                after,
                limit,
            } => Ok(Response::Deliveries {
                deliveries: relay.fetch(&session, &group_id.0, after, limit)?,
            }),
            Request::Subscribe { group_id, .. } => {
                let windows = relay.windows(&session, &group_id.0)?;
                if !windows.iter().any(|w| w.is_open()) {
                    return Err(Error::not_member());
                }
                Ok(Response::Subscribed)
            }
            Request::Welcomes => Ok(Response::Welcomes {
                welcomes: relay.welcomes(&session)?.into_iter().map(Bytes).collect(),
            }),
            Request::DropWelcomes { hashes } => Ok(Response::WelcomesDropped {
                dropped: relay.drop_welcomes(&session, &hashes)?,
            }),
            Request::ListOfficers { limit } => Ok(Response::Officers {
                officers: relay.list_officers(&session, limit)?,
            }),
            Request::RequestRejoin { group_id, request } => {
                relay.request_rejoin(&session, &group_id.0, &request.0)?;
                Ok(Response::RejoinRequested)
            }
            Request::RejoinRequests { group_id } => Ok(Response::RejoinRequests {
                requests: relay.rejoin_requests(&session, &group_id.0)?,
            }),
            Request::Authenticate { .. } => {
                Err(Error::malformed("this connection is already authenticated"))
            }
        }
    })
    .await
    .map_err(Error::from)
    .and_then(|result| result);
    let follow_up = if result.is_ok() { subscribe } else { None };
    (result, follow_up)
}
