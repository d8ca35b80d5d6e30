//! The TypeScript types of every operation's input and of the options (`src/options/`),
//! generated from the rule tables (a field's name, type, requiredness, enum values, limits and
//! doc are written once, in its `Field`), of `TicketwireError.kind`, from `ErrorKind`, and of the provider ids, from `Provider::ALL`.
//! The output is committed as `src/wasm/inputs.d.ts` (the package's `.d.ts` includes it); the
//! test below fails when it is stale. Regenerate: `UPDATE_TYPES=1 cargo test typescript`.

use crate::catalog;
use crate::error::{Carried, ErrorKind, KindFields};
use crate::operation::{Input, Operation};
use crate::options;
use crate::provider::Provider;
use crate::rules::{Alias, Field, Format, Rule, Shape, Variant, MAX_SAFE_INTEGER};
use crate::violation::Keyword;
use std::fmt::Write as _;

/// Where the generated declarations are committed.
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm/inputs.d.ts");

/// Every declaration, in operation order, each named type once.
pub fn input_types() -> String {
    let mut out = String::from(
        "// Generated from the rule tables by src/typescript.rs; do not edit.\n\
         // Regenerate with `UPDATE_TYPES=1 cargo test typescript`.\n",
    );
    let mut declared: Vec<&'static str> = Vec::new();
    for op in operation_inputs() {
        if let Input::Body(shape) | Input::Query(shape) = op.input {
            declare_shape(shape, &mut declared, &mut out);
        }
    }
    declare_relay_operations(&mut declared, &mut out);
    for shape in [&options::CLIENT, &options::CALL, &options::RELAY, &options::RELAY_HOSTED_PROVIDER] {
        declare_shape(shape, &mut declared, &mut out);
    }
    out.push_str(&violation_types());
    out.push_str(&schema_types());
    let providers: Vec<String> = Provider::ALL.iter().map(|p| format!("\"{}\"", p.id())).collect();
    let _ = write!(
        out,
        "\n/** A helpdesk the SDK speaks, by the id its options, routes and errors use. */\nexport type TicketwireProviderId = {};\n",
        providers.join(" | ")
    );
    let kinds: Vec<String> = ErrorKind::ALL.iter().map(|k| format!("\"{}\"", k.as_str())).collect();
    let _ = write!(
        out,
        "\n/** What went wrong, stable across releases (`TicketwireError.kind`). */\nexport type TicketwireErrorKind = {};\n",
        kinds.join(" | ")
    );
    declare_errors(&mut out);
    out
}

/// Each alias of relay operation names (`MavaRelayOperation`): the union of the names its
/// providers can all serve, from the catalog, declared before the option tables that use it.
fn declare_relay_operations(declared: &mut Vec<&'static str>, out: &mut String) {
    for names in &options::RELAY_OPERATION_NAMES {
        let servable = |provider: Provider, name: &str| {
            catalog::operation(provider, name).is_some_and(Operation::servable_to_visitors)
        };
        let union: Vec<String> = catalog::operations(names.providers[0])
            .filter(|op| names.providers.iter().all(|&p| servable(p, op.name)))
            .map(|op| format!("\"{}\"", op.name))
            .collect();
        let _ =
            write!(out, "\n/** {} */\nexport type {} = {};\n", names.alias.doc, names.alias.name, union.join(" | "));
        declared.push(names.alias.name);
    }
}

/// One of `TicketwireError`'s optional fields, and what each kind carries of it.
struct ErrorField {
    name: &'static str,
    ts: &'static str,
    doc: &'static str,
    carried: fn(KindFields) -> Carried,
}

const ERROR_FIELDS: [ErrorField; 5] = [
    ErrorField { name: "status", ts: "number", doc: "The HTTP status of the answer.", carried: |f| f.status },
    ErrorField {
        name: "code",
        ts: "string",
        doc: "The provider's error code or sentence (`VALIDATION_ERROR`, `WEBHOOK_MALFORMED`, …).",
        carried: |f| f.code,
    },
    ErrorField { name: "violations", ts: "Violation[]", doc: "Every violation found.", carried: |f| f.violations },
    ErrorField {
        name: "retryAfterMs",
        ts: "number",
        doc: "How long to wait before trying again, in milliseconds.",
        carried: |f| f.retry_after_ms,
    },
    ErrorField {
        name: "body",
        ts: "unknown",
        doc: "The provider's error body as parsed (raw text when it was not JSON).",
        carried: |f| f.body,
    },
];

/// `TicketwireError` as a union of one interface per kind (`ErrorKind::ALL`), each with the
/// fields its kind carries (`ErrorKind::fields`): narrowed on `kind`. The class itself is the
/// package entry's (`js/install.mjs`); its constructor type is declared here.
fn declare_errors(out: &mut String) {
    out.push_str(
        "\n/** Whose call failed: a provider, or `relay` for `createRelay`'s options and the relay's own objects. */\n\
         export type TicketwireProvider = TicketwireProviderId | \"relay\";\n\
         \n/** What every `TicketwireError` carries, whatever its kind. It never carries an API key. */\n\
         export interface TicketwireErrorBase extends Error {\n    \
         readonly name: \"TicketwireError\";\n    \
         /** Whose call failed. */\n    readonly provider: TicketwireProvider;\n    \
         /** The operation (`createTicket`), or `constructor` for bad client options. */\n    readonly operation: string;\n    \
         /** The error as plain data, for logs: `JSON.stringify(error)`. */\n    toJSON(): TicketwireErrorJSON;\n}\n",
    );
    for kind in ErrorKind::ALL {
        let _ = write!(
            out,
            "\n/** A `TicketwireError` of kind `{}`: {} */\nexport interface {} extends TicketwireErrorBase {{\n    readonly kind: \"{}\";\n",
            kind.as_str(),
            kind.doc(),
            kind.type_name(),
            kind.as_str()
        );
        for ErrorField { name, ts, doc, carried } in ERROR_FIELDS {
            let _ = match carried(kind.fields()) {
                Carried::Always => write!(out, "    /** {doc} */\n    readonly {name}: {ts};\n"),
                Carried::Maybe => write!(out, "    /** {doc} When known. */\n    readonly {name}?: {ts};\n"),
                Carried::Never => {
                    write!(out, "    /** Never set for this kind. */\n    readonly {name}?: undefined;\n")
                }
            };
        }
        out.push_str("}\n");
    }
    let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.type_name()).collect();
    // `@inline` (TypeDoc): the entry (`js/index.d.ts`) exports this union only through an alias
    // of its own, beside the class of the same name, so the reference shows the union itself
    // where it is used (`TicketwireErrorConstructor`).
    let _ = write!(
        out,
        "\n/**\n * Every failure of a ticketwire call: one class (`instanceof TicketwireError`), narrowed on `kind`.\n * @inline\n */\n\
         export type TicketwireError = {};\n",
        kinds.join(" | ")
    );
    out.push_str("\n/** What `new TicketwireError(message, fields)` takes: its fields but `name` and `message`. */\n");
    out.push_str("export interface TicketwireErrorFields {\n    kind: TicketwireErrorKind;\n    provider: TicketwireProvider;\n    operation: string;\n");
    for ErrorField { name, ts, .. } in ERROR_FIELDS {
        let _ = writeln!(out, "    {name}?: {ts};");
    }
    out.push_str(
        "}\n\n/** A `TicketwireError` as plain data (`toJSON()`). */\n\
         export interface TicketwireErrorJSON extends TicketwireErrorFields {\n    name: \"TicketwireError\";\n    message: string;\n}\n\
         \n/** The `TicketwireError` class: `error instanceof TicketwireError` narrows to the union of its kinds. */\n\
         export interface TicketwireErrorConstructor {\n    \
         /** A `TicketwireError` of `fields.kind` with `message`, as the SDK makes them. */\n    \
         new (message: string, fields: TicketwireErrorFields): TicketwireError;\n    \
         readonly prototype: TicketwireError;\n}\n",
    );
}

fn operation_inputs() -> impl Iterator<Item = &'static Operation> {
    crate::catalog::every_call()
}

fn declare_shape(shape: &'static Shape, declared: &mut Vec<&'static str>, out: &mut String) {
    declare_object(shape, false, declared, out);
}

/// An interface of `shape`'s fields (taking others too when `open`), or the union of its variants.
fn declare_object(shape: &'static Shape, open: bool, declared: &mut Vec<&'static str>, out: &mut String) {
    if declared.contains(&shape.name) {
        return;
    }
    declared.push(shape.name);
    if !shape.variants.is_empty() {
        let names: Vec<&str> = shape.variants.iter().map(|v| v.name).collect();
        let _ = write!(out, "\n/** {} */\nexport type {} = {};\n", shape.doc, shape.name, names.join(" | "));
        for variant in shape.variants {
            let fields: Vec<Field> = shape.fields.iter().map(|f| variant_field(variant, f)).collect();
            declare_interface(variant.name, variant.doc, &fields, false, out);
            for field in variant.narrows {
                declare_nested(&field.rule, declared, out);
            }
        }
    } else {
        declare_interface(shape.name, shape.doc, shape.fields, open, out);
    }
    for field in shape.fields {
        declare_nested(&field.rule, declared, out);
    }
}

/// A field of the table as `variant` has it: narrowed, required, or as the table says.
fn variant_field(variant: &Variant, field: &Field) -> Field {
    match variant.narrows.iter().find(|n| n.name == field.name) {
        Some(narrowed) => Field { doc: if narrowed.doc.is_empty() { field.doc } else { narrowed.doc }, ..*narrowed },
        None => Field { required: field.required || variant.requires.contains(&field.name), ..*field },
    }
}

fn declare_interface(name: &str, doc: &str, fields: &[Field], open: bool, out: &mut String) {
    let _ = write!(out, "\n/** {doc} */\nexport interface {name} {{\n");
    for field in fields {
        let optional = if field.required { "" } else { "?" };
        let doc = field_doc(field);
        if !doc.is_empty() {
            let _ = writeln!(out, "    /** {doc} */");
        }
        let _ = writeln!(out, "    {}{optional}: {};", field.name, ts_type(&field.rule));
    }
    if open {
        out.push_str("    /** Anything else, passed through as given. */\n    [field: string]: unknown;\n");
    }
    out.push_str("}\n");
}

fn declare_nested(rule: &'static Rule, declared: &mut Vec<&'static str>, out: &mut String) {
    match rule {
        Rule::Object(shape) => declare_shape(shape, declared, out),
        Rule::Open(shape) => declare_object(shape, true, declared, out),
        Rule::Named(alias) => declare_alias(alias, declared, out),
        Rule::List { item, .. } | Rule::OneOrMany(item) | Rule::Nullable(item) => declare_nested(item, declared, out),
        Rule::Either(a, b) => {
            declare_nested(a, declared, out);
            declare_nested(b, declared, out);
        }
        _ => {}
    }
}

fn declare_alias(alias: &'static Alias, declared: &mut Vec<&'static str>, out: &mut String) {
    if declared.contains(&alias.name) {
        return;
    }
    declared.push(alias.name);
    let _ = write!(out, "\n/** {} */\nexport type {} = {};\n", alias.doc, alias.name, ts_type(&alias.rule));
    declare_nested(&alias.rule, declared, out);
}

/// The TypeScript type a rule accepts.
fn ts_type(rule: &Rule) -> String {
    match rule {
        Rule::Text { .. } => "string".into(),
        Rule::Enum(values) => values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(" | "),
        Rule::IntEnum(values) => values.iter().map(i64::to_string).collect::<Vec<_>>().join(" | "),
        Rule::Bool => "boolean".into(),
        Rule::Number { .. } | Rule::Integer { .. } => "number".into(),
        Rule::Object(shape) | Rule::Open(shape) => shape.name.into(),
        Rule::Absent => "never".into(),
        Rule::Named(alias) => alias.name.into(),
        Rule::AnyObject => "Record<string, unknown>".into(),
        Rule::List { item, .. } => array_of(item),
        Rule::OneOrMany(item) => format!("{} | {}", ts_type(item), array_of(item)),
        Rule::Nullable(inner) => format!("{} | null", ts_type(inner)),
        Rule::Either(a, b) => format!("{} | {}", ts_type(a), ts_type(b)),
        Rule::Host(host) => host.ts.into(),
    }
}

fn array_of(item: &Rule) -> String {
    let item = ts_type(item);
    if item.contains(' ') {
        format!("Array<{item}>")
    } else {
        format!("{item}[]")
    }
}

/// The field's doc, then what its rule allows, in words.
fn field_doc(field: &Field) -> String {
    let facts = facts(&field.rule);
    match (field.doc.is_empty(), facts.is_empty()) {
        (_, true) => field.doc.to_owned(),
        (true, false) => sentence(&facts),
        (false, false) => format!("{} {}", field.doc, sentence(&facts)),
    }
}

fn sentence(facts: &str) -> String {
    let mut chars = facts.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

/// What a rule allows beyond its type: formats and limits.
fn facts(rule: &Rule) -> String {
    match rule {
        Rule::Text { min, max, format } => {
            let length = match (min, max) {
                (0, None) => String::new(),
                (1, None) => "not empty".into(),
                (min, None) => format!("at least {min} characters"),
                (0, Some(max)) => format!("at most {max} characters"),
                (min, Some(max)) => format!("{min} to {max} characters"),
            };
            let format = format.map(format_fact).unwrap_or_default();
            [format, length].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
        }
        Rule::Integer { min, max } if *max == MAX_SAFE_INTEGER => format!("an integer ≥ {min}"),
        Rule::Integer { min, max } => format!("an integer from {min} to {max}"),
        Rule::Number { min: Some(min) } => format!("≥ {}", crate::number::js_number(*min)),
        Rule::List { max, item } => {
            let each = facts(item);
            let each = if each.is_empty() { each } else { format!("each {each}") };
            let most = max.map(|n| format!("at most {n} items")).unwrap_or_default();
            [most, each].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; ")
        }
        Rule::OneOrMany(inner) | Rule::Nullable(inner) => facts(inner),
        Rule::Either(a, b) => match (facts(a), facts(b)) {
            (a, b) if a.is_empty() || b.is_empty() => a + &b,
            (a, b) => format!("{a}, or {b}"),
        },
        _ => String::new(),
    }
}

fn format_fact(format: Format) -> String {
    match format {
        Format::Email => "an email address".into(),
        Format::EmailOrEmpty => "an email address, or \"\"".into(),
        Format::ObjectId => "24 hex digits (an ObjectId)".into(),
        Format::ObjectIdOr(keyword) => format!("24 hex digits (an ObjectId), or `{keyword}`"),
        Format::WalletAddress => "`0x` and 40 hex digits".into(),
        Format::IsoDate => "`YYYY-MM-DD` or an ISO 8601 date-time".into(),
        Format::DateTime => "an ISO 8601 date-time".into(),
        Format::HttpUrl => "an absolute http(s) URL".into(),
        Format::MimeType => "a MIME type, `type/subtype`".into(),
        Format::Digits => "digits only".into(),
        Format::NonBlank => "not blank".into(),
        Format::MavaAttachmentUrl => "an https URL into Mava's S3 storage".into(),
        Format::Origin => "an origin, `http(s)://host[:port]`".into(),
    }
}

/// `Violation`: its place, code and message, and the rule broken with its parameters, a union
/// narrowed on `rule` (one member per rule of `Keyword::EVERY`).
fn violation_types() -> String {
    let mut out = String::from(
        "\n/** The rule a violation broke and its parameters: Ajv's keyword and `params` where Ajv has \
         the keyword, else a rule of ticketwire's own. Narrow `params` on `rule`. */\nexport type ViolatedRule =\n",
    );
    for keyword in Keyword::EVERY {
        let mut params = Vec::new();
        let name = keyword.describe(|key, value| params.push(format!("{key}: {}", value.ts_type())));
        let doc = rule_doc(keyword);
        let params =
            if params.is_empty() { "Record<string, never>".to_owned() } else { format!("{{ {} }}", params.join("; ")) };
        let _ = write!(out, "    /** {doc} */\n    | {{ rule: \"{name}\"; params: {params} }}\n");
    }
    out.pop();
    out.push_str(";\n");
    out.push_str(VIOLATION);
    out
}

/// What a rule's member of the union says, in its TypeScript doc.
fn rule_doc(keyword: &Keyword) -> &'static str {
    match keyword {
        Keyword::Type(_) => "Not of the JSON type (or types: `integer,string`) or host value (`AbortSignal`) named.",
        Keyword::Required(_) => "A required property is absent (the path points at it).",
        Keyword::AdditionalProperties { .. } => "A property the object does not have (the path points at it).",
        Keyword::MinLength(_) => "Fewer characters (code points) than `limit`.",
        Keyword::MaxLength(_) => "More characters (code points) than `limit`.",
        Keyword::Minimum(_) => "Less than `limit`.",
        Keyword::ExclusiveMinimum(_) => "Not more than `limit`.",
        Keyword::Maximum(_) => "More than `limit`.",
        Keyword::MaxItems(_) => "More items than `limit`.",
        Keyword::Pattern(_) => "Text not matching the regular expression `pattern` (JavaScript's, with the `u` flag).",
        Keyword::Format(_) => "Text not in the format named: `email`, `date-time`, or one of ticketwire's own.",
        Keyword::Enum(_) => "None of `allowedValues`.",
        Keyword::Not => "Given where it must not be.",
        Keyword::DependentRequired { .. } => "`property` (the path points at it) is given without `missingProperty`.",
        Keyword::ExactlyOne(_) => "Not exactly one of `properties`: none, or both (a customer by id and inline, say).",
        Keyword::AtMostOne(_) => "More than one of `properties`.",
        Keyword::AnyRequired(_) => "None of `properties`.",
        Keyword::AnyNonEmpty(_) => "None of `properties` with a non-empty value.",
        Keyword::NotBlank => "Text that is empty once white space is trimmed.",
        Keyword::DateAfter(_) => "A date not after the one in `property`.",
        Keyword::DateWithinYear(_) => "A date more than a year after the one in `property`.",
        Keyword::Readable => "A value that could not be read: a getter or `Proxy` threw.",
        Keyword::MaxDepth(_) => "Nested deeper than `limit`.",
        Keyword::Acyclic => "A value that contains itself.",
        Keyword::MaxSize { .. } => "An input of more than `values` values or `characters` characters in all.",
        Keyword::WellFormed => "A string or key with a lone surrogate: it cannot be sent as given.",
        Keyword::SafeInteger => "An integer past 2^53, which a double does not hold exactly.",
        Keyword::JsonValue => "What JSON cannot carry (a bigint, a function, `NaN`), or a body not JSON.",
    }
}

const VIOLATION: &str = r#"
/** A rule's name: Ajv's keyword (`maxLength`), or ticketwire's own (`exactlyOne`). */
export type TicketwireRule = ViolatedRule["rule"];

/** One mistake in an input: where, the provider's code, Ajv's message, and the rule broken with its parameters. */
export type Violation = {
    /** JSON Pointer into the input (`""` for the whole input, `/customer/email`). */
    path: string;
    /** The error code the provider would answer (`VALIDATION_ERROR`, `INVALID_CUSTOMER_MODE`, …). */
    code: string;
    /** Ajv's wording: `body/priority must be equal to one of the allowed values`. */
    message: string;
} & ViolatedRule;
"#;

/// The Standard Schema v1 view of an operation (https://standardschema.dev, its types declared
/// here rather than depended on), and each client's `schemas`, one per operation with an input.
fn schema_types() -> String {
    let mut out = String::from(STANDARD_SCHEMA);
    for provider in Provider::ALL {
        let name = provider.display_name();
        let _ = write!(
            out,
            "\n/** `{name}Client.schemas`: a Standard Schema view of each operation's input, with the client's \
             own settings. */\nexport interface {name}Schemas {{\n"
        );
        for op in crate::catalog::validated(provider) {
            if let Input::Body(shape) | Input::Query(shape) = op.input {
                let _ = writeln!(out, "    readonly {}: TicketwireSchema<{}>;", op.name, shape.name);
            }
        }
        out.push_str("}\n");
        // What `ticketwire/lite` has of them: the operations a relay may serve a visitor.
        let visitor: Vec<String> = crate::catalog::validated(provider)
            .filter(|op| op.servable_to_visitors())
            .map(|op| format!("\"{}\"", op.name))
            .collect();
        let _ = write!(
            out,
            "\n/** `{name}Client.schemas` in `ticketwire/lite`: only the operations a relay may serve a visitor. */\n\
             export type {name}VisitorSchemas = Pick<{name}Schemas, {}>;\n",
            visitor.join(" | ")
        );
    }
    out
}

const STANDARD_SCHEMA: &str = r#"
/**
 * A Standard Schema v1 view (https://standardschema.dev) of one operation's input, which
 * react-hook-form's `standardSchemaResolver`, TanStack Form and other form libraries take as is:
 * `useForm({ resolver: standardSchemaResolver(client.schemas.createTicket) })`. `validate` runs the
 * rules `validateX` runs; an issue's `message` is the violation's without the place, which `path`
 * gives as keys (a number for an array index).
 */
export interface TicketwireSchema<Input> {
    readonly "~standard": {
        readonly version: 1;
        readonly vendor: "ticketwire";
        /** `{ value }` (the input as given) when it is valid, else `{ issues }`, every violation. Never throws. */
        readonly validate: (value: unknown) => TicketwireSchemaResult<Input>;
        /** For type inference only: never set. */
        readonly types?: { readonly input: Input; readonly output: Input } | undefined;
    };
}

/** What `TicketwireSchema`'s `validate` returns (Standard Schema's `Result`). */
export type TicketwireSchemaResult<Output> =
    | { readonly value: Output; readonly issues?: undefined }
    | { readonly issues: ReadonlyArray<TicketwireIssue> };

/** One violation as a Standard Schema issue: the message without the place, the place as keys, and the violation's code, rule and parameters. */
export type TicketwireIssue = {
    /** What is wrong, without where (`must match format "email"`). */
    readonly message: string;
    /** Where: the violation's JSON Pointer as keys (`["customer", "email"]`; a number for an array index). */
    readonly path: ReadonlyArray<string | number>;
    /** The error code the provider would answer. */
    readonly code: string;
} & ViolatedRule;
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_relay_section_takes_its_own_providers_operation_names() {
        for provider in Provider::ALL {
            let section = options::RELAY.fields.iter().find(|f| f.name == provider.id()).expect("a section");
            let Rule::Object(shape) = section.rule else { panic!("{} is no object", provider.id()) };
            let operations = shape.fields.iter().find(|f| f.name == "operations").expect("operations");
            let Rule::List { item: Rule::Named(alias), .. } = operations.rule else {
                panic!("{} names no alias", shape.name)
            };
            let names = options::RELAY_OPERATION_NAMES.iter().find(|n| std::ptr::eq(n.alias, *alias)).expect("listed");
            assert_eq!(names.providers, [provider], "{}", shape.name);
        }
        let generated = input_types();
        assert!(generated
            .contains("export type MavaRelayOperation = \"createTicket\" | \"identify\" | \"listCategories\";"));
        assert!(generated.contains("export type RelayHostedOperation = \"createTicket\" | \"sendMessage\";"));
    }

    #[test]
    fn a_kinds_error_interface_requires_what_it_always_carries_and_rules_out_what_it_never_does() {
        let generated = input_types();
        let validation = generated.split("export interface TicketwireValidationError").nth(1).expect("declared");
        let validation = &validation[..validation.find("\n}").expect("closed")];
        assert!(validation.contains("readonly kind: \"validation\";"));
        assert!(validation.contains("readonly violations: Violation[];"));
        assert!(validation.contains("readonly code: string;"));
        assert!(validation.contains("readonly status?: undefined;"));
        let union: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.type_name()).collect();
        assert!(generated.contains(&format!("export type TicketwireError = {};", union.join(" | "))));
    }

    #[test]
    fn the_committed_input_types_are_the_generated_ones() {
        let generated = input_types();
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::write(COMMITTED, &generated).expect("write src/wasm/inputs.d.ts");
        }
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(committed == generated, "src/wasm/inputs.d.ts is stale: run `UPDATE_TYPES=1 cargo test typescript`");
    }

    #[test]
    fn every_body_or_query_input_is_declared_once() {
        let types = input_types();
        for op in operation_inputs() {
            if let Input::Body(shape) | Input::Query(shape) = op.input {
                let interface = types.matches(&format!("export interface {} {{", shape.name)).count();
                let union = types.matches(&format!("export type {} = ", shape.name)).count();
                assert_eq!(
                    (interface, union),
                    if shape.variants.is_empty() { (1, 0) } else { (0, 1) },
                    "{}",
                    shape.name
                );
            }
        }
    }

    #[test]
    fn a_field_is_typed_from_its_rule_and_documented_with_its_limits() {
        let types = input_types();
        assert!(types
            .contains("    /** Tag ids. At most 20 items; each 24 hex digits (an ObjectId). */\n    tags?: string[];"));
        assert!(types.contains("    status?: MavaTicketStatus | MavaTicketStatus[];"));
        assert!(types.contains("export type MavaPriority = 1 | 2 | 3;"));
        assert!(types.contains("    startDate: string;"), "required by its table");
        assert!(types.contains("    assignedTo?: string | null;"));
        assert!(types.contains("    customerId: number | string;"));
    }

    #[test]
    fn a_violation_is_a_union_narrowed_on_its_rule_and_every_client_has_its_schemas() {
        let types = input_types();
        for keyword in Keyword::EVERY {
            assert!(types.contains(&format!("    | {{ rule: \"{}\"; params: ", keyword.name())), "{keyword:?}");
        }
        assert!(types.contains("    | { rule: \"maxLength\"; params: { limit: number } }\n"));
        assert!(types.contains("    | { rule: \"minimum\"; params: { comparison: \">=\"; limit: number } }\n"));
        assert!(types.contains("    | { rule: \"not\"; params: Record<string, never> }\n"));
        assert!(types.contains("export type Violation = {\n"));
        for provider in Provider::ALL {
            let name = format!("export interface {}Schemas {{\n", provider.display_name());
            let schemas = &types[types.find(&name).expect("each client's schemas")..];
            let schemas = &schemas[..schemas.find("}\n").unwrap()];
            for op in crate::catalog::validated(provider) {
                assert!(schemas.contains(&format!("    readonly {}: TicketwireSchema<", op.name)), "{}", op.name);
            }
        }
        assert!(types.contains("    readonly createTicket: TicketwireSchema<MavaCreateTicketInput>;\n"));
    }

    /// `createTicket` -> `CreateTicket`.
    fn capitalized(name: &str) -> String {
        name[..1].to_uppercase() + &name[1..]
    }

    #[test]
    fn every_catalog_operation_has_its_client_methods_and_its_declared_answer() {
        let answers = include_str!("wasm/answers.d.ts");
        for provider in Provider::ALL {
            let class =
                std::fs::read_to_string(format!("{}/src/wasm/{}.rs", env!("CARGO_MANIFEST_DIR"), provider.id()))
                    .expect("each provider has its client class file");
            for op in crate::catalog::calls(provider) {
                let stem = capitalized(op.name);
                let result = format!("{}{stem}Result", provider.display_name());
                assert!(answers.contains(&format!("export interface {result} ")), "answers.d.ts lacks {result}");
                assert!(
                    class.contains(&format!("\"Promise<{result}>\"")),
                    "{} {} resolves to {result}",
                    provider.id(),
                    op.name
                );
                let mut methods = vec![format!("\"{}\"", op.name), format!("js_name = {},", op.name)];
                // An operation whose input is its path fields alone takes them as arguments.
                if !matches!(op.input, Input::None | Input::Path(_)) {
                    methods = vec![format!("= \"{}\"", op.name)];
                    for prefix in ["validate", "prepare"] {
                        let method = format!("= \"{prefix}{stem}\"");
                        assert!(class.contains(&method), "{} lacks {prefix}{stem}", provider.id());
                    }
                }
                assert!(methods.iter().any(|m| class.contains(m)), "{} lacks {}", provider.id(), op.name);
            }
        }
    }
}
