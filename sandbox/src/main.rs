//! `ticketwire-sandbox`: serves the Mava, HelpWave and Tickiti sandboxes on one port.
//!
//! ```text
//! ticketwire-sandbox [--port 4010] [--host 127.0.0.1] [--db PATH] [--mava-limit 90] [--mava-window-ms 30000] [--mava-webhook-url URL]
//! ```
//!
//! Each run makes a fresh Mava webhook key pair and prints its signing key (`mava_wh_…`); the
//! webhook URL can also be set at run time (`POST /_sandbox/webhooks`).

use std::time::Duration;
use ticketwire_sandbox::{app, db, Sandbox};

struct Args {
    host: String,
    port: u16,
    db: Option<String>,
    limit: usize,
    window_ms: u64,
    webhook_url: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args =
        Args { host: "127.0.0.1".into(), port: 4010, db: None, limit: 90, window_ms: 30_000, webhook_url: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => args.host = value()?,
            "--port" => args.port = value()?.parse().map_err(|_| "--port takes a number (0 picks a free port)")?,
            "--db" => args.db = Some(value()?),
            "--mava-limit" => args.limit = value()?.parse().map_err(|_| "--mava-limit takes a number")?,
            "--mava-window-ms" => args.window_ms = value()?.parse().map_err(|_| "--mava-window-ms takes a number")?,
            "--mava-webhook-url" => args.webhook_url = Some(value()?),
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(why) => {
            eprintln!("{why}\nusage: ticketwire-sandbox [--port 4010] [--host 127.0.0.1] [--db PATH] [--mava-limit 90] [--mava-window-ms 30000] [--mava-webhook-url URL]");
            std::process::exit(2);
        }
    };
    let sandbox = match Sandbox::new(args.db.as_deref(), args.limit, Duration::from_millis(args.window_ms)) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            std::process::exit(1);
        }
    };
    if let Err(why) = sandbox.set_mava_webhook_url(args.webhook_url.as_deref()) {
        eprintln!("--mava-webhook-url: {why}");
        std::process::exit(2);
    }
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {}:{}: {e}", args.host, args.port);
            std::process::exit(1);
        }
    };
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    println!(
        "ticketwire sandbox: Mava, HelpWave and Tickiti on one port ({})",
        args.db.as_deref().unwrap_or("in-memory database")
    );
    println!("  Mava rate limit: {} requests per {} ms per key", args.limit, args.window_ms);
    for db::SeedOrg { id: org, name, keys, .. } in db::ORGS {
        println!("  organisation {org} ({name}):");
        for db::SeedKey { key, provider, abilities } in *keys {
            let note =
                if *provider == "tickiti" && abilities.is_empty() { "  (no create-ticket ability: 403)" } else { "" };
            println!("    {provider:<9} {key}{note}");
        }
    }
    println!("  baseUrl: http://{address}/mava · http://{address}/helpwave · http://{address}/tickiti");
    match &args.webhook_url {
        Some(url) => println!("  Mava webhooks to {url} (change: POST /_sandbox/webhooks)"),
        None => println!("  Mava webhooks: none sent (set: --mava-webhook-url URL or POST /_sandbox/webhooks)"),
    }
    println!("mava webhook signing key: {}", sandbox.mava_webhook_signing_key());
    println!("listening on http://{address}");
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    if let Err(e) = axum::serve(listener, app(sandbox)).with_graceful_shutdown(shutdown).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
