//! Properties over generated inputs (proptest): inputs are drawn from each operation's own
//! field table, mostly valid with some noise, so both sides of every rule are reached.
//! - `validate(x)` is empty exactly when `prepare(x)` succeeds, and a prepared body reads back
//!   as the input minus its path fields ([`fuzz::check_validate_prepare`]);
//! - the `Call` never sends after its end, never waits past its deadline, and never sends a
//!   non-idempotent call again after a 502, a 504, a lost connection or a timeout
//!   ([`fuzz::run_call`]).

use crate::call::{CallPolicy, Pacing};
use crate::fuzz::{self, Step};
use crate::operation::{Input, Operation};
use crate::request::{ApiKey, Config};
use crate::rules::{Field, Format, Rule};
use crate::value::{Object, Value};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// Valid and invalid examples of each format.
fn format_samples(format: Format) -> (Vec<&'static str>, Vec<&'static str>) {
    match format {
        Format::Email | Format::EmailOrEmpty => (
            vec!["jane@example.com", "a.b+c@sub.example.co"],
            vec!["x@localhost", "a..b@example.com", "Kjane@example.com"],
        ),
        Format::ObjectId | Format::ObjectIdOr(_) => {
            (vec!["645abc1234567890abcdef12", "645ABC1234567890ABCDEF12"], vec!["645ghi1234567890abcdef34", "645abc"])
        }
        Format::WalletAddress => {
            (vec!["0x52908400098527886E0F7030069857D2E4169EE7"], vec!["0x12", "52908400098527886E0F"])
        }
        Format::IsoDate => (
            vec!["2026-01-01", "2026-03-01T10:00:00Z", "2026-02-01T00:00:00.250+02:00"],
            vec!["2026-02-30", "01/02/2026"],
        ),
        Format::DateTime => (vec!["2026-01-01T10:00:00Z", "2026-01-01T10:00:00.5+02:00"], vec!["2026-01-01", "10:00"]),
        Format::HttpUrl => {
            (vec!["https://example.com/a.png", "http://cdn.example/f?x=1"], vec!["ftp://x", "/relative"])
        }
        Format::MimeType => (vec!["image/png", "application/pdf"], vec!["png", "image/"]),
        Format::Digits => (vec!["123", "987654321012345678"], vec!["12a", ""]),
        Format::NonBlank => (vec!["hi", " text "], vec!["   ", ""]),
        Format::Origin => (vec!["https://shop.example", "http://127.0.0.1:5173"], vec!["*", "https://shop.example/"]),
        Format::MavaAttachmentUrl => (
            vec![
                "https://s3.eu-central-1.amazonaws.com/app.mava.container.2/receipt.jpg",
                "https://app.mava.x.s3.amazonaws.com/f.png",
            ],
            vec!["https://evil.example/x.png", "https://s3.amazonaws.com/app.mava.c/%2e%2e/x"],
        ),
    }
}

/// Any JSON value, small.
fn any_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e6f64..1e6).prop_map(Value::Number),
        (0i64..5).prop_map(|n| Value::Number(n as f64)),
        "[a-z0-9 @.:/-]{0,12}".prop_map(|s: String| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Mostly a value `rule` accepts, sometimes one it refuses.
fn value_for(rule: &'static Rule) -> BoxedStrategy<Value> {
    let noise = match rule {
        Rule::Text { format: Some(format), .. } => {
            prop::sample::select(format_samples(*format).1).prop_map(|s| Value::String(s.into())).boxed()
        }
        _ => any_value(),
    };
    prop_oneof![8 => matching(rule), 1 => noise].boxed()
}

/// A value `rule` accepts (cross-field rules aside).
fn matching(rule: &'static Rule) -> BoxedStrategy<Value> {
    match *rule {
        Rule::Text { format: Some(format), .. } => {
            let mut valid = format_samples(format).0;
            if let Format::ObjectIdOr(keyword) = format {
                valid.push(keyword);
            }
            prop::sample::select(valid).prop_map(|s| Value::String(s.into())).boxed()
        }
        Rule::Text { min, max, format: None } => {
            let upper = max.unwrap_or(min + 8).min(min + 8);
            let character = prop_oneof![8 => prop::char::range('a', 'z'), 1 => Just('é'), 1 => Just('👍')];
            prop::collection::vec(character, min..=upper)
                .prop_map(|chars| Value::String(chars.into_iter().collect::<String>().into()))
                .boxed()
        }
        Rule::Enum(values) => prop::sample::select(values).prop_map(|s| Value::String(s.into())).boxed(),
        Rule::IntEnum(values) => prop::sample::select(values).prop_map(|n| Value::Number(n as f64)).boxed(),
        Rule::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Rule::Number { min } => (min.unwrap_or(-1e6)..1e6).prop_map(Value::Number).boxed(),
        Rule::Integer { min, max } => {
            (min..=max.min(min.saturating_add(1_000_000))).prop_map(|n| Value::Number(n as f64)).boxed()
        }
        Rule::Object(shape) | Rule::Open(shape) => object_for(shape.fields),
        Rule::Named(alias) => matching(&alias.rule),
        Rule::AnyObject => prop::collection::vec(("[a-z]{1,6}", any_value()), 0..3)
            .prop_map(|entries| Value::Object(entries.into_iter().collect()))
            .boxed(),
        Rule::List { max, item } => {
            prop::collection::vec(value_for(item), 0..=max.unwrap_or(3).min(3)).prop_map(Value::Array).boxed()
        }
        Rule::OneOrMany(item) => {
            prop_oneof![value_for(item), prop::collection::vec(value_for(item), 1..3).prop_map(Value::Array)].boxed()
        }
        Rule::Nullable(inner) => prop_oneof![1 => Just(Value::Null), 3 => value_for(inner)].boxed(),
        Rule::Either(a, b) => prop_oneof![value_for(a), value_for(b)].boxed(),
        // No JSON value is a host value (only options take one), nor fits a field that must be absent.
        Rule::Host(_) | Rule::Absent => any_value(),
    }
}

/// An object of `fields`: each present or not (required ones mostly present), sometimes with
/// an unknown field too.
fn object_for(fields: &'static [Field]) -> BoxedStrategy<Value> {
    let entries: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .iter()
        .map(|field| {
            let present = if field.required { 12 } else { 3 };
            prop_oneof![2 => Just(None), present => value_for(&field.rule).prop_map(move |v| Some((field.name.to_owned(), v)))]
                .boxed()
        })
        .collect();
    let unknown = prop::option::weighted(0.1, ("[a-z]{1,8}", any_value()));
    (entries, unknown)
        .prop_map(|(entries, unknown)| {
            let mut object: Object = entries.into_iter().flatten().collect();
            if let Some((key, value)) = unknown {
                if object.get(&key).is_none() {
                    object.insert(key, value);
                }
            }
            Value::Object(object)
        })
        .boxed()
}

/// Inputs for `op`, from its own field table.
fn input_for(op: &'static Operation) -> BoxedStrategy<Value> {
    match op.input {
        Input::Body(shape) | Input::Query(shape) | Input::Path(shape) => object_for(shape.fields),
        Input::None => prop_oneof![Just(Value::Object(Object::new())), any_value()].boxed(),
    }
}

fn operation() -> impl Strategy<Value = &'static Operation> {
    prop::sample::select(fuzz::operations().collect::<Vec<_>>())
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0u32..70_000).prop_map(Step::Advance),
        3 => (prop::sample::select(vec![200u16, 201, 400, 408, 409, 429, 500, 502, 503, 504]), prop::option::of(0u32..90), any::<bool>())
            .prop_map(|(status, retry_after, json)| Step::Respond { status, retry_after, json }),
        1 => Just(Step::Drop),
        1 => Just(Step::TooLarge),
        1 => Just(Step::Abort),
        1 => Just(Step::HostFail),
        1 => any::<bool>().prop_map(Step::Grant),
    ]
}

fn policy() -> impl Strategy<Value = CallPolicy> {
    (0u32..5, 1u32..70_000, prop::option::of(1u32..200_000), 0usize..4).prop_map(
        |(max_retries, timeout, deadline, pacing)| CallPolicy {
            max_retries,
            timeout_ms: f64::from(timeout),
            deadline_ms: deadline.map(f64::from),
            pacing: [Pacing::Unpaced, Pacing::Wait, Pacing::FailFast, Pacing::External][pacing],
            max_response_bytes: 1 << 20,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn validate_is_empty_exactly_when_prepare_succeeds_and_bodies_read_back(input in operation().prop_flat_map(input_for)) {
        fuzz::check_validate_prepare(&input);
    }

    #[test]
    fn a_call_never_sends_after_its_end_past_its_deadline_or_again_when_that_could_duplicate(
        op in operation(), policy in policy(), steps in prop::collection::vec(step(), 0..40)
    ) {
        fuzz::run_call(op, policy, &steps);
    }
}

/// The generator reaches valid inputs of every operation, so the property above is not vacuous.
#[test]
fn generated_inputs_include_valid_ones_for_every_operation() {
    let config = Config::new("https://api.example", Some(ApiKey::new("sk_generated_key")));
    let mut runner = TestRunner::deterministic();
    for op in fuzz::operations() {
        let strategy = input_for(op);
        let valid = (0..400)
            .filter(|_| op.validate(&strategy.new_tree(&mut runner).unwrap().current(), &config).is_empty())
            .count();
        assert!(valid >= 4, "{} {}: {valid} of 400 generated inputs are valid", op.provider.id(), op.name);
        let takes_input = !matches!(op.input, Input::None);
        assert!(!takes_input || valid < 400, "{} {}: every generated input is valid", op.provider.id(), op.name);
    }
}

/// A cross-field check answers from the root fields it declares it reads alone (a one-pass walk
/// keeps no others for it): on generated inputs, the same violations with the others left out.
#[test]
fn cross_field_checks_read_only_the_fields_they_declare() {
    let mut runner = TestRunner::deterministic();
    for op in fuzz::operations().filter(|op| !op.checks.is_empty()) {
        let strategy = input_for(op);
        for _ in 0..400 {
            let generated = strategy.new_tree(&mut runner).unwrap().current();
            let Value::Object(input) = &generated else { continue };
            for across in op.checks {
                let mut read = Object::new();
                for (key, value) in input.iter().filter(|(key, _)| across.reads.contains(key)) {
                    read.insert(key, value.clone());
                }
                let answer = |input: &Object| {
                    let mut out = crate::violation::Violations::new("body", "E");
                    (across.check)(input, &mut out);
                    out.into_vec()
                };
                assert_eq!(answer(&read), answer(input), "{} {}: {}", op.provider.id(), op.name, generated.to_json());
            }
        }
    }
}
