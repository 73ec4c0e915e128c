//! `[baseline]`: the figures of the period before the plan that reports
//! compare with, one entry per kind of activity.

use toml_edit::TableLike;

use crate::model::{Baseline, Kind};

use super::keys::BASELINE_ENTRY_KEYS;
use super::reader::PlanReader;

/// `[baseline]`: what was done and planned before the plan, per kind
/// (`kind = { done = 195, planned = 377 }`), and its `label`.
pub(super) fn read(reader: &mut PlanReader, root: &dyn TableLike, kinds: &[Kind]) -> Option<Baseline> {
    let t = reader.section(root, "baseline", false)?;
    let kind_codes: Vec<&str> = kinds.iter().map(|k| k.code.as_str()).collect();
    let mut b = Baseline::default();
    for (key, item) in t.iter() {
        if key == "label" {
            b.label = reader.string(t, "label", "[baseline]").unwrap_or_default();
            continue;
        }
        let key_span = t.key(key).and_then(toml_edit::Key::span);
        if reader
            .resolve(key, key_span, ("loại hoạt động", "kind"), &kind_codes)
            .is_none()
        {
            continue;
        }
        let Some(et) = item.as_table_like() else {
            reader.bad(
                item.span(),
                &format!("`{key}` phải có dạng {{ done = 195, planned = 377 }}"),
                &format!("`{key}` must look like {{ done = 195, planned = 377 }}"),
            );
            continue;
        };
        let section = format!("[baseline] {key}");
        reader.known_keys(et, BASELINE_ENTRY_KEYS, &section);
        let done = if let Some(i) = et.get("done") {
            reader.int(i, "`done`")
        } else {
            reader.missing("done", &section, item.span());
            None
        };
        let planned = if let Some(i) = et.get("planned") {
            reader.int(i, "`planned`")
        } else {
            reader.missing("planned", &section, item.span());
            None
        };
        if let (Some(d), Some(p)) = (done, planned) {
            b.entries.push((key.to_owned(), d, p));
        }
    }
    Some(b)
}
