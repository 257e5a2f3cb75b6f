use crate::policy::{Checked, PrincipalValue, Statement};
use crate::rules::{declare_rule, Sink};

declare_rule! {
    /// ## What it catches
    /// A statement identical to an earlier one apart from its `Sid`: the same `Effect`,
    /// `Principal`, `Action`, `Resource` and `Condition`, whatever the order of list entries
    /// (action names compare case-insensitively). Access Analyzer: `REDUNDANT_STATEMENT`.
    ///
    /// ## Why it matters
    /// The copy grants or denies nothing new. It usually comes from pasting a statement twice,
    /// and a later edit to one copy but not the other is a trap. No effect on access, so a
    /// Suggestion.
    ///
    /// ## Bad
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "UseAgain", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    /// ```
    ///
    /// ## Good
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, {"Sid": "Describe", "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]}
    /// ```
    ///
    /// ## How to fix
    /// Remove the copy.
    pub(crate) static RULE = {
        code: "X009",
        name: "redundant-statement",
        severity: Suggestion,
        kinds: [Iam, Trust, Key],
        check: Some(check),
    };
}

/// The statement without its Sid and spans, with list entries sorted: equal shapes grant the
/// same. `None` for a statement without a valid `Effect` or an `Action`, whose elements the
/// model may have dropped.
fn shape(statement: &Statement<'_>) -> Option<String> {
    let effect = statement.effect()?;
    let action = statement.action.as_ref()?;
    let sorted = |items: Vec<String>| {
        let mut items = items;
        items.sort();
        items.dedup();
        items.join("\u{1f}")
    };
    let mut out = format!("{effect:?}\u{1e}");
    let actions = action
        .values
        .items
        .iter()
        .map(|v| v.value.to_ascii_lowercase())
        .collect();
    out.push_str(&format!("{}{}\u{1e}", action.negated, sorted(actions)));
    if let Some(resource) = &statement.resource {
        let values = resource
            .values
            .items
            .iter()
            .map(|v| v.value.to_string())
            .collect();
        out.push_str(&format!("{}{}", resource.negated, sorted(values)));
    }
    out.push('\u{1e}');
    if let Some(principal) = &statement.principal {
        let values = match &principal.value {
            PrincipalValue::Bare(s) => vec![format!("*{}", s.value)],
            PrincipalValue::Map(entries) => entries
                .iter()
                .flat_map(|e| {
                    e.values
                        .items
                        .iter()
                        .map(move |v| format!("{}\u{1d}{}", e.key.value, v.value))
                })
                .collect(),
        };
        out.push_str(&format!("{}{}", principal.negated, sorted(values)));
    }
    out.push('\u{1e}');
    let conditions = statement
        .condition_entries()
        .iter()
        .map(|e| {
            let values = e.values.iter().map(|v| v.text.to_string()).collect();
            format!(
                "{}\u{1d}{}\u{1d}{}",
                e.operator.value,
                e.key.value.to_ascii_lowercase(),
                sorted(values)
            )
        })
        .collect();
    out.push_str(&sorted(conditions));
    Some(out)
}

/// A cheap fingerprint of `shape`, without allocating: equal shapes have equal signatures (each
/// list is folded into an order- and duplicate-blind bit set), so only statements whose
/// signatures collide are compared by shape. Policies rarely repeat a statement; this keeps the
/// rule from building a string per statement of every document.
fn signature(statement: &Statement<'_>) -> Option<u64> {
    let effect = statement.effect()?;
    let action = statement.action.as_ref()?;
    let mut signature = mix(effect as u64, u64::from(action.negated));
    signature = mix(
        signature,
        bloom(
            action
                .values
                .items
                .iter()
                .map(|v| value_hash(v.value, true)),
        ),
    );
    if let Some(resource) = &statement.resource {
        signature = mix(signature, 2 + u64::from(resource.negated));
        signature = mix(
            signature,
            bloom(
                resource
                    .values
                    .items
                    .iter()
                    .map(|v| value_hash(v.value, false)),
            ),
        );
    }
    if let Some(principal) = &statement.principal {
        signature = mix(signature, 4 + u64::from(principal.negated));
        let values = match &principal.value {
            PrincipalValue::Bare(s) => bloom(std::iter::once(value_hash(s.value, false))),
            PrincipalValue::Map(entries) => bloom(entries.iter().flat_map(|e| {
                let key = value_hash(e.key.value, false);
                e.values
                    .items
                    .iter()
                    .map(move |v| mix(key, value_hash(v.value, false)))
            })),
        };
        signature = mix(signature, values);
    }
    let conditions = bloom(statement.condition_entries().iter().map(|e| {
        let values = bloom(e.values.iter().map(|v| value_hash(v.text, false)));
        mix(
            mix(
                value_hash(e.operator.value, false),
                value_hash(e.key.value, true),
            ),
            values,
        )
    }));
    Some(mix(signature, conditions))
}

/// A hash of a value from its length and its first and last eight bytes: constant time, which
/// matters for lists of hundreds of actions, and enough for a pre-filter (a collision costs a
/// shape comparison, never a wrong answer). With `lowercase`, every byte gets the ASCII
/// lowercase bit, so values equal but for ASCII case hash alike.
fn value_hash(text: &str, lowercase: bool) -> u64 {
    let bytes = text.as_bytes();
    let word = |part: &[u8]| {
        let word = crate::bytescan::word_le(part);
        if lowercase {
            word | 0x2020_2020_2020_2020
        } else {
            word
        }
    };
    // `word_le` reads the first eight bytes: the whole text, then its last eight.
    let head = word(bytes);
    let tail = word(bytes.get(bytes.len().saturating_sub(8)..).unwrap_or(bytes));
    mix(mix(bytes.len() as u64, head), tail)
}

fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The set of hashes as 256 bits, folded to 64: blind to order and repetition, as `shape`'s
/// sorted, deduped lists are. 256 bits keep lists of hundreds of actions (AWS's managed
/// policies) from filling every bit, which would make all long lists collide.
fn bloom(hashes: impl Iterator<Item = u64>) -> u64 {
    let mut set = [0u64; 4];
    for hash in hashes {
        let bit = hash >> 56;
        if let Some(word) = set.get_mut((bit >> 6) as usize) {
            *word |= 1 << (bit & 63);
        }
    }
    set.iter().fold(0, |folded, &word| mix(folded, word))
}

fn check(doc: &Checked<'_>, sink: &mut Sink) {
    let statements = &doc.policy.statements;
    // A statement can only repeat another: most trust policies have one.
    if statements.len() < 2 {
        return;
    }
    let signatures: Vec<Option<u64>> = statements.iter().map(signature).collect();
    for (index, statement) in statements.iter().enumerate() {
        let Some(Some(mine)) = signatures.get(index) else {
            continue;
        };
        let candidates = statements
            .iter()
            .zip(&signatures)
            .take(index)
            .filter(|(_, theirs)| theirs.as_ref() == Some(mine));
        let mut my_shape = None;
        let mut first = None;
        for (earlier, _) in candidates {
            let mine = my_shape.get_or_insert_with(|| shape(statement));
            if mine.is_some() && *mine == shape(earlier) {
                first = Some(earlier);
                break;
            }
        }
        let Some(first) = first else {
            continue;
        };
        sink.report(
            &RULE,
            statement.span,
            format!(
                "{} repeats {}: apart from the `Sid` they are the same, so it grants nothing more",
                statement.label(),
                first.label()
            ),
            Some(format!("remove {}", statement.label())),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::values::support::testing::findings;
    use crate::DocumentKind;

    #[test]
    fn order_and_case_of_actions_do_not_matter() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
 {"Sid": "A", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}},
 {"Sid": "B", "Effect": "Allow", "Action": ["kms:encrypt", "kms:Decrypt"], "Resource": ["*"], "Condition": {"StringEquals": {"kms:CallerAccount": ["111122223333"]}}},
 {"Sid": "C", "Effect": "Deny", "Action": ["kms:encrypt", "kms:Decrypt"], "Resource": ["*"]},
 {"Sid": "D", "Effect": "Allow", "Action": ["kms:encrypt", "kms:Decrypt"], "Resource": ["*"]}]}"#;
        let found = findings(text, DocumentKind::Iam, "X009");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "statement `B` repeats statement `A`: apart from the `Sid` they are the same, so it grants nothing more"
        );
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn statements_whose_signatures_collide_are_still_compared_in_full() {
        // Two key ARNs of one length with the same first and last eight bytes hash alike (the
        // signature reads only those), yet name keys in different Regions: not a repeat.
        let text = r#"{"Version": "2012-10-17", "Statement": [
 {"Sid": "East", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
 {"Sid": "West", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
 {"Sid": "EastAgain", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#;
        let found = findings(text, DocumentKind::Iam, "X009");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "statement `EastAgain` repeats statement `East`: apart from the `Sid` they are the same, so it grants nothing more"
        );
        assert_eq!(found[0].line, 4);
    }
}
