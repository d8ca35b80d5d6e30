//! `ticketwire-sandbox`: serves the Mava, HelpWave and Tickiti sandboxes on one port.
//!
//! ```text
//! ticketwire-sandbox [--port 4010] [--host 127.0.0.1] [--db PATH] [--mava-limit 90] [--mava-window-ms 30000]
//! ```

use std::time::Duration;
use ticketwire_sandbox::{app, db, Sandbox};

struct Args {
    host: String,
    port: u16,
    db: Option<String>,
    limit: usize,
    window_ms: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { host: "127.0.0.1".into(), port: 4010, db: None, limit: 90, window_ms: 30_000 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => args.host = value()?,
            "--port" => args.port = value()?.parse().map_err(|_| "--port takes a number (0 picks a free port)")?,
            "--db" => args.db = Some(value()?),
            "--mava-limit" => args.limit = value()?.parse().map_err(|_| "--mava-limit takes a number")?,
            "--mava-window-ms" => args.window_ms = value()?.parse().map_err(|_| "--mava-window-ms takes a number")?,
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
            eprintln!("{why}\nusage: ticketwire-sandbox [--port 4010] [--host 127.0.0.1] [--db PATH] [--mava-limit 90] [--mava-window-ms 30000]");
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
