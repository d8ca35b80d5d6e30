//! The conversation object's rules, with its storage simulated as a sorted map that takes the
//! object's writes: what a restart reads back is exactly what was written.

use super::*;
use crate::relay::conversation::MAX_MESSAGES_PER_THREAD;
use crate::relay::conversation::{Attachment, Author};
use std::collections::BTreeMap;

const T0: Millis = 1_800_000_000_000.0;

fn message(id: &str, text: &str) -> Message {
    Message {
        id: id.into(),
        from: Author::Agent,
        text: text.into(),
        attachments: Vec::new(),
        at: "2027-01-15T08:00:00Z".into(),
    }
}

/// The object's storage: the writes applied in order.
#[derive(Default)]
struct Storage(BTreeMap<String, String>);

impl Storage {
    fn apply(&mut self, writes: Writes) {
        for (key, json) in writes.put {
            self.0.insert(key, json);
        }
        for key in writes.delete {
            self.0.remove(&key);
        }
    }

    fn restore(&mut self, now: Millis) -> ThreadObject {
        let (object, writes) = ThreadObject::restore(self.0.clone(), now);
        self.apply(writes);
        object
    }
}

fn ids(object: &ThreadObject, after: Option<&str>) -> Vec<String> {
    object.read(after).0.iter().map(|m| m.id.clone()).collect()
}

fn keys(webhook: &str) -> Vec<String> {
    vec![format!("webhookId {webhook}"), format!("signature sig-{webhook}")]
}

#[test]
fn messages_are_numbered_once_each_and_a_restart_reads_back_the_same_thread_and_cursor() {
    let mut storage = Storage::default();
    let mut object = storage.restore(T0);
    assert_eq!(storage.0.get("epoch").map(String::as_str), Some(r#""mywpiww0""#), "the epoch is T0 in base 36");
    let (new, cursor, writes) =
        object.append(vec![message("m1", "Hello"), message("m2", "How can we help?")], &keys("w1"), T0);
    assert_eq!(new.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["m1", "m2"]);
    assert_eq!(cursor, "mywpiww0-2");
    storage.apply(writes);
    assert_eq!(
        storage.0.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "count",
            "epoch",
            "message:000000000001",
            "message:000000000002",
            "seen:signature sig-w1",
            "seen:webhookId w1"
        ]
    );
    // m2 again under another webhook: held once.
    let (new, cursor, writes) =
        object.append(vec![message("m2", "How can we help?"), message("m3", "Done")], &keys("w2"), T0);
    assert_eq!((new.len(), new[0].id.as_str(), cursor.as_str()), (1, "m3", "mywpiww0-3"));
    storage.apply(writes);

    let restarted = storage.restore(T0 + 60_000.0);
    assert_eq!(restarted.cursor(), "mywpiww0-3", "the epoch and the count survive an eviction");
    assert_eq!(ids(&restarted, None), ["m1", "m2", "m3"]);
    assert_eq!(ids(&restarted, Some("mywpiww0-1")), ["m2", "m3"]);
    assert_eq!(restarted.read_body(Some("mywpiww0-2")), object.read_body(Some("mywpiww0-2")));
    assert_eq!(ids(&restarted, Some("other-1")), ["m1", "m2", "m3"], "another epoch's cursor reads as none");
    assert_eq!(ids(&restarted, Some("not a cursor")), ["m1", "m2", "m3"]);
}

#[test]
fn a_webhook_seen_in_the_last_24_hours_is_not_stored_again_and_is_forgotten_after() {
    let mut storage = Storage::default();
    let mut object = storage.restore(T0);
    let (_, _, writes) = object.append(vec![message("m1", "Hi")], &keys("w1"), T0);
    storage.apply(writes);
    let mut object = storage.restore(T0 + 1.0);
    // The same delivery retried, or its payload replayed under a new webhookId (same signature).
    let replay = vec!["webhookId w9".to_owned(), "signature sig-w1".to_owned()];
    let (new, cursor, writes) = object.append(vec![message("m9", "replayed")], &replay, T0 + 1_000.0);
    assert_eq!((new.len(), cursor.as_str(), writes), (0, "mywpiww0-1", Writes::default()));
    // A day later the keys are forgotten (and deleted from storage).
    let later = T0 + SEEN_WINDOW_MS + 1.0;
    let (new, _, writes) = object.append(vec![message("m9", "late")], &keys("w1"), later);
    assert_eq!(new.len(), 1);
    assert!(writes.delete.is_empty(), "the keys are written again, not deleted: {writes:?}");
    assert_eq!(writes.put.iter().filter(|(k, _)| k.starts_with("seen:")).count(), 2);
}

#[test]
fn past_its_bound_the_thread_drops_its_oldest_from_storage_and_the_cursor_still_counts_them() {
    let mut storage = Storage::default();
    let mut object = storage.restore(T0);
    for n in 1..=MAX_MESSAGES_PER_THREAD + 2 {
        let (_, _, writes) = object.append(vec![message(&format!("m{n}"), "x")], &keys(&format!("w{n}")), T0);
        storage.apply(writes);
    }
    let stored = storage.0.keys().filter(|k| k.starts_with("message:")).count();
    assert_eq!(stored, MAX_MESSAGES_PER_THREAD);
    assert!(!storage.0.contains_key("message:000000000001") && !storage.0.contains_key("message:000000000002"));
    let restarted = storage.restore(T0);
    assert_eq!(restarted.cursor(), "mywpiww0-502");
    assert_eq!(ids(&restarted, Some("mywpiww0-500")), ["m501", "m502"]);
    assert_eq!(ids(&restarted, None).first().map(String::as_str), Some("m3"));
}

#[test]
fn a_socket_is_let_in_only_with_a_capability_the_relay_verified_for_this_ticket_and_unexpired() {
    let mut storage = Storage::default();
    let mut object = storage.restore(T0);
    let expiry = (T0 / 1000.0) as u64 + 3_600;
    let hello = r#"{"capability":"tw1.1800003600.abc","after":"mywpiww0-0"}"#;
    assert_eq!(
        object.hello(hello, T0),
        Err("this ticket needs the capability its creation answered with, read once from the relay")
    );
    storage.apply(object.trust("tw1.1800003600.abc", expiry, T0));
    assert_eq!(object.hello(hello, T0), Ok(Some("mywpiww0-0".to_owned())));
    assert_eq!(object.hello(r#"{"capability":"tw1.1800003600.abc"}"#, T0), Ok(None));
    let restarted = storage.restore(T0 + 1.0);
    assert_eq!(restarted.hello(hello, T0 + 1.0), Ok(Some("mywpiww0-0".to_owned())), "trust survives an eviction");
    assert!(restarted.hello(hello, expiry as f64 * 1000.0).is_err(), "not once it expired");
    for bad in ["", "{}", "[]", r#"{"capability":7}"#, r#"{"capability":"tw1.1800003600.abd"}"#, "\u{0}"] {
        assert!(object.hello(bad, T0).is_err(), "{bad:?} lets no one in");
    }
    assert_eq!(
        object.hello(r#"{"capability":"tw1.1800003600.abc","after":3}"#, T0),
        Err("after must be a cursor the relay answered with")
    );
    // An expired capability is never trusted, and trusting forgets the expired ones.
    assert_eq!(object.trust("tw1.1.old", 1, T0), Writes::default());
    let writes = object.trust("tw1.2.new", expiry + 1, expiry as f64 * 1000.0);
    assert_eq!(writes.delete, ["token:tw1.1800003600.abc"]);
}

#[test]
fn orders_read_back_as_written_and_a_message_a_page_must_not_render_is_refused() {
    let mut with_file = message("m1", "see attached");
    with_file.attachments.push(Attachment {
        url: "https://files.example/a.pdf".into(),
        file_name: "a.pdf".into(),
        file_type: "application/pdf".into(),
    });
    let body = append_body(&[with_file.clone()], &keys("w1"));
    assert_eq!(read_append(&body), Some((vec![with_file], keys("w1"))));
    let script = body.replace("https://files.example/a.pdf", "javascript:alert(1)");
    assert_eq!(read_append(&script), None);
    assert_eq!(read_append(&body.replace("\"agent\"", "\"staff\"")), None);
    assert_eq!(read_append(r#"{"messages":[],"keys":[1]}"#), None);

    let order =
        ReadOrder { after: Some("mywpiww0-2".into()), wait_ms: 25_000.0, capability: "tw1.9.x".into(), expiry: 9 };
    assert_eq!(read_read(&read_order_body(&order)), Some(order.clone()));
    assert_eq!(
        read_read(&read_order_body(&ReadOrder { wait_ms: 25_001.0, ..order.clone() })),
        None,
        "waits past 25 s are not read"
    );
    assert_eq!(read_read(&read_order_body(&ReadOrder { after: None, ..order.clone() })).map(|o| o.after), Some(None));
    assert_eq!(read_read("not json"), None);
}

#[test]
fn the_turn_to_pull_comes_once_per_5_s_for_every_isolate_and_survives_an_eviction() {
    let mut storage = Storage::default();
    let mut object = storage.restore(T0);
    storage.apply(object.claim(T0).expect("the first claim pulls"));
    assert_eq!(object.claim(T0 + 4_999.0), Err(T0 + 5_000.0));
    let mut restarted = storage.restore(T0 + 1_000.0);
    assert_eq!(restarted.claim(T0 + 1_000.0), Err(T0 + 5_000.0), "an evicted object keeps the turn");
    assert!(restarted.claim(T0 + 5_000.0).is_ok());
    assert_eq!(restarted.claim(T0 + 5_001.0), Err(T0 + 10_000.0));
}
