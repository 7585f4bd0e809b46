//! The HTTP routes: health, metrics and the WebSocket upgrade, each
//! request in a span named by its matched route.

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tracing::Instrument as _;

use crate::listener::ConnectionInfo;
use crate::state::AppState;
use crate::ws;

/// The relay's router. It must be served with
/// `into_make_service_with_connect_info::<ConnectionInfo>()` over the relay's
/// TLS listener ([`crate::launch`] does): a WebSocket login signs the TLS
/// session's channel binding.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route("/v1/ws", get(ws::upgrade))
        .layer(middleware::from_fn(trace))
        .with_state(state)
}

/// `200 ok` while the relay accepts connections.
async fn health(State(state): State<AppState>) -> Response {
    if *state.shutdown.borrow() {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "shutting down\n",
        )
            .into_response()
    } else {
        "ok\n".into_response()
    }
}

/// Prometheus text format: to the relay's own machine only, unless the
/// operator opened it (`--metrics-public`). The counters name no officer or
/// group, but they tell an outsider how busy a partnership's relay is.
async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(ConnectionInfo { peer, .. }): ConnectInfo<ConnectionInfo>,
) -> Response {
    if !metrics_allowed(peer.ip(), state.relay.config.metrics_public) {
        return (
            StatusCode::FORBIDDEN,
            "metrics are served to localhost only\n",
        )
            .into_response();
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.relay.metrics.render(state.relay.slot_count()),
    )
        .into_response()
}

/// Whether `peer` may read the metrics.
pub(crate) fn metrics_allowed(peer: std::net::IpAddr, public: bool) -> bool {
    public || peer.is_loopback()
}

/// A span per request named by the route pattern, never the raw URL.
async fn trace(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let span = tracing::info_span!("http", method = %request.method(), route = %route);
    async move {
        let response = next.run(request).await;
        tracing::debug!(status = response.status().as_u16(), "answered");
        response
    }
    .instrument(span)
    .await
}

#[cfg(test)]
mod tests {
    use super::metrics_allowed;

    #[test]
    fn metrics_are_for_loopback_unless_opened() {
        let loopback = "127.0.0.1"
            .parse()
            .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
        let v6_loopback = std::net::Ipv6Addr::LOCALHOST.into();
        let outside: std::net::IpAddr = std::net::Ipv4Addr::new(192, 0, 2, 7).into();
        assert!(metrics_allowed(loopback, false));
        assert!(metrics_allowed(v6_loopback, false));
        assert!(!metrics_allowed(outside, false));
        assert!(metrics_allowed(outside, true));
    }
}
