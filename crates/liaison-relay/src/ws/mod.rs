//! The WebSocket endpoint `/v1/ws`: one connection per client, requests
//! answered in order, pushes in between.

mod connection;
mod dispatch;
mod session;
mod subscription;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::response::Response;

use crate::listener::ConnectionInfo;
use crate::state::AppState;

/// Frames above this many times the frame limit close the connection
/// (the WebSocket layer refuses to buffer them); frames between the limit
/// and this are read and answered `too_large`.
const HARD_FRAME_FACTOR: usize = 4;

/// `GET /v1/ws`: upgrades to the relay protocol.
pub(crate) async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(ConnectionInfo { binding, .. }): ConnectInfo<ConnectionInfo>,
    ws: WebSocketUpgrade,
) -> Response {
    let hard = state
        .relay
        .config
        .limits
        .max_frame_bytes
        .saturating_mul(HARD_FRAME_FACTOR);
    ws.max_message_size(hard)
        .max_frame_size(hard)
        .on_upgrade(move |socket| session::run(socket, state, binding))
}
