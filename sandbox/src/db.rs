//! The sandbox's SQLite database: schema, seeded fixtures per organisation, ids and clocks.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::time::{SystemTime, UNIX_EPOCH};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (key TEXT PRIMARY KEY, org TEXT NOT NULL, provider TEXT NOT NULL,
  abilities TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS seq (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS mava_categories (id TEXT PRIMARY KEY, org TEXT NOT NULL, name TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS mava_agents (id TEXT PRIMARY KEY, org TEXT NOT NULL, name TEXT, email TEXT,
  username TEXT, wallet TEXT, archived INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS mava_tags (id TEXT PRIMARY KEY, org TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mava_attributes (id TEXT PRIMARY KEY, org TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mava_customers (id TEXT PRIMARY KEY, org TEXT NOT NULL, name TEXT, email TEXT,
  wallet TEXT, platform_user_id TEXT, attributes TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS mava_tickets (id TEXT PRIMARY KEY, org TEXT NOT NULL, customer TEXT NOT NULL,
  status TEXT NOT NULL, priority INTEGER NOT NULL, source_type TEXT NOT NULL, assigned_to TEXT, category TEXT,
  tags TEXT NOT NULL DEFAULT '[]', attributes TEXT NOT NULL DEFAULT '[]', email_subject TEXT,
  notify INTEGER NOT NULL, trigger_automations INTEGER NOT NULL, csat INTEGER,
  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, resolved_ms INTEGER);
CREATE TABLE IF NOT EXISTS mava_messages (id TEXT PRIMARY KEY, org TEXT NOT NULL, ticket TEXT NOT NULL,
  content TEXT NOT NULL, message_type TEXT NOT NULL, sender_type TEXT NOT NULL,
  attachments TEXT NOT NULL DEFAULT '[]', created_ms INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS helpwave_customers (id INTEGER PRIMARY KEY, org TEXT NOT NULL, email TEXT,
  phone_number TEXT, profile TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS helpwave_tickets (id TEXT PRIMARY KEY, org TEXT NOT NULL, customer INTEGER NOT NULL,
  body TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS helpwave_comments (id INTEGER PRIMARY KEY, org TEXT NOT NULL, ticket TEXT NOT NULL,
  body TEXT NOT NULL, created_ms INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS tickiti_queues (org TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (org, name));
CREATE TABLE IF NOT EXISTS tickiti_templates (org TEXT NOT NULL, identifier TEXT NOT NULL, queue TEXT NOT NULL,
  public INTEGER NOT NULL, PRIMARY KEY (org, identifier));
CREATE TABLE IF NOT EXISTS tickiti_interventions (org TEXT NOT NULL, identifier TEXT NOT NULL, queue TEXT NOT NULL,
  PRIMARY KEY (org, identifier));
CREATE TABLE IF NOT EXISTS tickiti_users (id INTEGER PRIMARY KEY, org TEXT NOT NULL, email TEXT NOT NULL,
  UNIQUE (org, email));
CREATE TABLE IF NOT EXISTS tickiti_tickets (id INTEGER PRIMARY KEY, org TEXT NOT NULL, number INTEGER NOT NULL UNIQUE,
  secure_id TEXT NOT NULL, originator INTEGER NOT NULL, queue TEXT NOT NULL, subject TEXT, status TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tickiti_responses (id INTEGER PRIMARY KEY, org TEXT NOT NULL, ticket INTEGER NOT NULL,
  content TEXT NOT NULL, public INTEGER NOT NULL, from_email TEXT, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tickiti_idempotency (org TEXT NOT NULL, key TEXT NOT NULL, request TEXT NOT NULL,
  status INTEGER NOT NULL, response TEXT NOT NULL, PRIMARY KEY (org, key));
";

/// A seeded API key.
pub struct SeedKey {
    /// The key itself.
    pub key: &'static str,
    /// `mava`, `helpwave` or `tickiti`.
    pub provider: &'static str,
    /// Comma-separated abilities (Tickiti's `create-ticket`).
    pub abilities: &'static str,
}

/// A seeded organisation.
pub struct SeedOrg {
    /// Its id.
    pub id: &'static str,
    /// Its display name.
    pub name: &'static str,
    /// Its API keys.
    pub keys: &'static [SeedKey],
    /// The letter in its fixture ids (see [`fixture_id`]).
    pub letter: &'static str,
}

const fn key(key: &'static str, provider: &'static str, abilities: &'static str) -> SeedKey {
    SeedKey { key, provider, abilities }
}

/// The two seeded organisations, so tenant isolation can be tried.
pub const ORGS: &[SeedOrg] = &[
    SeedOrg {
        id: "acme",
        name: "Acme Support",
        keys: &[
            key("sandbox_mava_acme", "mava", ""),
            key("sandbox_helpwave_acme", "helpwave", ""),
            key("sandbox_tickiti_acme", "tickiti", "create-ticket"),
            key("sandbox_tickiti_acme_readonly", "tickiti", ""),
        ],
        letter: "a",
    },
    SeedOrg {
        id: "globex",
        name: "Globex Helpdesk",
        keys: &[
            key("sandbox_mava_globex", "mava", ""),
            key("sandbox_helpwave_globex", "helpwave", ""),
            key("sandbox_tickiti_globex", "tickiti", "create-ticket"),
        ],
        letter: "b",
    },
];

/// Opens the database (in memory unless `path`), creating and seeding it when new.
pub fn open(path: Option<&str>) -> rusqlite::Result<Connection> {
    let conn = match path {
        Some(path) => Connection::open(path)?,
        None => Connection::open_in_memory()?,
    };
    conn.execute_batch(SCHEMA)?;
    let seeded: i64 = conn.query_row("SELECT COUNT(*) FROM orgs", [], |r| r.get(0))?;
    if seeded == 0 {
        seed(&conn)?;
    }
    Ok(conn)
}

/// Fixture ids are readable ObjectIds: `64f0…`, the org's letter, a kind digit (1 category,
/// 2 agent, 3 tag, 4 attribute) and a counter: `64f0000000000000000a2001` is Acme's first agent.
pub fn fixture_id(letter: &str, kind: u8, n: u8) -> String {
    format!("64f0000000000000000{letter}{kind}{n:03}")
}

fn seed(conn: &Connection) -> rusqlite::Result<()> {
    for SeedOrg { id: org, name, keys, letter } in ORGS {
        conn.execute("INSERT INTO orgs (id, name) VALUES (?1, ?2)", params![org, name])?;
        for SeedKey { key, provider, abilities } in *keys {
            conn.execute(
                "INSERT INTO api_keys (key, org, provider, abilities) VALUES (?1, ?2, ?3, ?4)",
                params![key, org, provider, abilities],
            )?;
        }
        for (n, (category, archived)) in [("Billing", 0), ("Technical", 0), ("Legacy", 1)].iter().enumerate() {
            conn.execute(
                "INSERT INTO mava_categories (id, org, name, archived) VALUES (?1, ?2, ?3, ?4)",
                params![fixture_id(letter, 1, n as u8 + 1), org, category, archived],
            )?;
        }
        let agents = [
            (Some("Jane Smith"), Some("jane@acme.example"), Some("jane"), None),
            (None, None, None, Some("0x52908400098527886E0F7030069857D2E4169EE7")),
        ];
        for (n, (agent, email, username, wallet)) in agents.iter().enumerate() {
            conn.execute(
                "INSERT INTO mava_agents (id, org, name, email, username, wallet) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![fixture_id(letter, 2, n as u8 + 1), org, agent, email, username, wallet],
            )?;
        }
        for (n, tag) in ["VIP", "Refund"].iter().enumerate() {
            conn.execute(
                "INSERT INTO mava_tags (id, org, name) VALUES (?1, ?2, ?3)",
                params![fixture_id(letter, 3, n as u8 + 1), org, tag],
            )?;
        }
        for (n, attribute) in ["Plan", "Company"].iter().enumerate() {
            conn.execute(
                "INSERT INTO mava_attributes (id, org, name) VALUES (?1, ?2, ?3)",
                params![fixture_id(letter, 4, n as u8 + 1), org, attribute],
            )?;
        }
        let customer = if *org == "acme" { 123 } else { 456 };
        conn.execute(
            "INSERT INTO helpwave_customers (id, org, email, profile) VALUES (?1, ?2, ?3, ?4)",
            params![customer, org, format!("customer@{org}.example"), "{}"],
        )?;
        for queue in ["Inbox", "Returns", "Billing", "Claims"] {
            conn.execute("INSERT INTO tickiti_queues (org, name) VALUES (?1, ?2)", params![org, queue])?;
        }
        conn.execute(
            "INSERT INTO tickiti_templates (org, identifier, queue, public) VALUES (?1, 'warranty_acknowledgement', 'Returns', 1)",
            params![org],
        )?;
        conn.execute(
            "INSERT INTO tickiti_interventions (org, identifier, queue) VALUES (?1, 'warranty_claim', 'Claims')",
            params![org],
        )?;
    }
    Ok(())
}

/// The next value of a named counter.
pub fn next(tx: &Transaction, name: &str) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO seq (name, value) VALUES (?1, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
        params![name],
    )?;
    tx.query_row("SELECT value FROM seq WHERE name = ?1", params![name], |r| r.get(0))
}

/// A fresh ObjectId: 4 bytes of time and 8 of counter, as MongoDB's are built.
pub fn object_id(tx: &Transaction, now_ms: i64) -> rusqlite::Result<String> {
    Ok(format!("{:08x}{:016x}", now_ms / 1000, next(tx, "object_id")?))
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Milliseconds as the ISO text the APIs answer.
pub fn iso(ms: i64) -> String {
    crate::dates::format_millis(ms)
}

/// The organisation and abilities of an API key for `provider`.
pub fn key_owner(conn: &Connection, provider: &str, key: &str) -> Option<(String, String)> {
    conn.query_row(
        "SELECT org, abilities FROM api_keys WHERE key = ?1 AND provider = ?2",
        params![key, provider],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .ok()
    .flatten()
}

/// Row counts per organisation, for tests and the `/_sandbox/counts` route.
pub fn counts(conn: &Connection, org: &str) -> rusqlite::Result<Vec<(&'static str, i64)>> {
    let tables = [
        "mava_customers",
        "mava_tickets",
        "mava_messages",
        "helpwave_customers",
        "helpwave_tickets",
        "helpwave_comments",
        "tickiti_users",
        "tickiti_tickets",
        "tickiti_responses",
    ];
    tables
        .iter()
        .map(|table| {
            let count =
                conn.query_row(&format!("SELECT COUNT(*) FROM {table} WHERE org = ?1"), params![org], |r| r.get(0))?;
            Ok((*table, count))
        })
        .collect()
}
