//! A local sandbox of the Mava, HelpWave and Tickiti APIs, side by side on one port
//! (`/mava/api/…`, `/helpwave/api/v1/…`, `/tickiti/api/…`), backed by SQLite. Every request
//! is checked as the provider's server checks it, answered in the provider's own format, and
//! runs in one transaction; faults can be injected through `/_sandbox/faults`. Mava's webhooks
//! are sent, encrypted and signed, once a transaction commits (`webhooks.rs`).
//!
//! Where things live:
//! - `mava/`, `helpwave/`, `tickiti/`: one provider each. `mod.rs` is its server behaviour
//!   (key header, error bodies, body parser and limit, the validator's dialect);
//!   `endpoints.rs` its table, one row per endpoint (name, method, path, schema file in
//!   `sandbox/schemas/`, extra checks, handler), and those checks; `handlers.rs` what the
//!   handlers do with the database.
//! - [`endpoints`]: the row type, every table as one list, and the walker that checks a
//!   request against its row ([`schema`] is the Ajv-style JSON Schema walker it uses).
//! - `pipeline.rs`: the way every provider request goes, from fault to commit; `control.rs`:
//!   the `/_sandbox/…` routes; `webhooks.rs`: Mava's webhooks, recorded by the handlers in
//!   their transaction and sent after it commits; this file: the router.
//!
//! The sandbox keeps its independence from the SDK's rules: it never reads the SDK's
//! operation tables, so a wrong limit in either shows up as a disagreement between them
//! (`tests/differential.rs`). It shares the JSON reader only: `ticketwire::value`'s `Value` and
//! `Object`, `from_json` and `to_json`, and `js_number`.

#![warn(missing_docs)]

mod body;
mod control;
pub mod dates;
pub mod db;
pub mod endpoints;
pub mod faults;
mod helpwave;
mod json;
mod mava;
mod pipeline;
mod provider;
pub mod rate_limit;
mod reply;
mod route;
pub mod schema;
mod tickiti;
mod webhooks;

pub use pipeline::Sandbox;
pub use reply::Reply;

use axum::routing::{any, get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::cors::CorsLayer;

/// The router: the three APIs, the control routes, and CORS for browser tests.
pub fn app(sandbox: Arc<Sandbox>) -> Router {
    Router::new()
        .route("/{provider}/{*rest}", any(pipeline::serve))
        .route("/_sandbox/faults", post(control::add_fault).delete(control::clear_faults))
        .route("/_sandbox/counts", get(control::counts))
        .route("/_sandbox/reset", post(control::reset))
        .route("/_sandbox/rate-limit", post(control::set_rate_limit).get(control::rate_limit_counts))
        .route("/_sandbox/mava/tickets", post(control::backdate_mava_tickets))
        .route("/_sandbox/mava/tickets/{ticket}/messages", post(control::agent_message))
        .route("/_sandbox/webhooks", get(control::webhooks).post(control::set_webhooks))
        .layer(CorsLayer::very_permissive().expose_headers([axum::http::header::RETRY_AFTER]))
        .with_state(sandbox)
}
