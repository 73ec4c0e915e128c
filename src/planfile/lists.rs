//! The plan's code lists: `[orgs]`, `[levels]` and `[fields]` (a code and
//! its name, or a table of names), `[kinds]` (the kinds of activity) and
//! `[units]` (each with its level and the days it exists). Targets and logs
//! name their entries by code.

use toml_edit::{Item, TableLike};

use crate::model::{Kind, Named, Unit};
use crate::text;

use super::keys::{FIELD_KEYS, KIND_KEYS, NAMED_KEYS, UNIT_KEYS};
use super::reader::PlanReader;

/// A `code = "Name"` table such as `[orgs]`; an entry may also be a table
/// `{ name = "…", en = "…" }` (and, in `[fields]`, `short`, `short_en`).
pub(super) fn named(reader: &mut PlanReader, root: &dyn TableLike, key: &str, required: bool) -> Vec<Named> {
    let Some(t) = reader.section(root, key, required) else {
        return Vec::new();
    };
    let keys = if key == "fields" { FIELD_KEYS } else { NAMED_KEYS };
    let mut out = Vec::new();
    for (code, item) in t.iter() {
        reader.check_code(code, t.key(code).and_then(toml_edit::Key::span));
        if let Some(et) = item.as_table_like() {
            let section = format!("[{key}.{code}]");
            reader.known_keys(et, keys, &section);
            if let Some(name) = reader.required_string(et, "name", &section, item.span()) {
                out.push(Named {
                    code: code.to_owned(),
                    name,
                    en: reader.string(et, "en", &section),
                    short: reader.string(et, "short", &section),
                    short_en: reader.string(et, "short_en", &section),
                });
            }
        } else if let Some(name) = reader.string(t, code, &format!("[{key}]")) {
            out.push(Named {
                code: code.to_owned(),
                name,
                en: None,
                short: None,
                short_en: None,
            });
        }
    }
    out
}

/// `[kinds]`: each a name, or a table with `field` (whether its logs name
/// a field) and `counter`.
pub(super) fn kinds(reader: &mut PlanReader, root: &dyn TableLike) -> Vec<Kind> {
    let Some(t) = reader.section(root, "kinds", true) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (code, item) in t.iter() {
        reader.check_code(code, t.key(code).and_then(toml_edit::Key::span));
        if let Some(name) = item.as_str() {
            out.push(Kind {
                code: code.to_owned(),
                name: text::nfc_lf(name),
                field: false,
                counter: None,
                group: None,
                group_en: None,
                en: None,
            });
        } else if let Some(kt) = item.as_table_like() {
            let section = format!("[kinds.{code}]");
            reader.known_keys(kt, KIND_KEYS, &section);
            let name = reader.required_string(kt, "name", &section, item.span());
            let field = match kt.get("field") {
                None => false,
                Some(f) => f.as_bool().unwrap_or_else(|| {
                    reader.bad(
                        f.span(),
                        "`field` phải là true hoặc false",
                        "`field` must be true or false",
                    );
                    false
                }),
            };
            let counter = reader.string(kt, "counter", &section);
            let group = reader.string(kt, "group", &section);
            let group_en = reader.string(kt, "group_en", &section);
            let en = reader.string(kt, "en", &section);
            if let Some(name) = name {
                out.push(Kind {
                    code: code.to_owned(),
                    name,
                    field,
                    counter,
                    group,
                    group_en,
                    en,
                });
            }
        } else {
            reader.bad(
                item.span(),
                &format!("loại `{code}` phải là một tên (chuỗi) hoặc {{ name = \"...\", field = true }}"),
                &format!("kind `{code}` must be a name (string) or {{ name = \"...\", field = true }}"),
            );
        }
    }
    out
}

/// `[units]`: each a table with a name and a level among `levels`.
pub(super) fn units(reader: &mut PlanReader, root: &dyn TableLike, levels: &[Named]) -> Vec<Unit> {
    let Some(t) = reader.section(root, "units", true) else {
        return Vec::new();
    };
    let level_codes: Vec<&str> = levels.iter().map(|l| l.code.as_str()).collect();
    let mut out = Vec::new();
    for (code, item) in t.iter() {
        reader.check_code(code, t.key(code).and_then(toml_edit::Key::span));
        let section = format!("[units.{code}]");
        let Some(ut) = item.as_table_like() else {
            reader.bad(
                item.span(),
                &format!("{section} phải là một bảng có name và level"),
                &format!("{section} must be a table with name and level"),
            );
            continue;
        };
        reader.known_keys(ut, UNIT_KEYS, &section);
        let name = reader.required_string(ut, "name", &section, item.span());
        let level = match reader.required_string(ut, "level", &section, item.span()) {
            Some(l) => reader.resolve(&l, ut.get("level").and_then(Item::span), ("cấp", "level"), &level_codes),
            None => None,
        };
        let from = reader.date(ut, "from", &section);
        let until = reader.date(ut, "until", &section);
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                reader.bad(
                    ut.get("until").and_then(Item::span),
                    "`until` đứng trước `from`: `from` là ngày đơn vị bắt đầu, `until` là ngày cuối cùng; hãy đổi lại",
                    "`until` is before `from`: `from` is the unit's first day and `until` its last; swap or correct them",
                );
            }
        }
        // A unit whose name or level is wrong is still known by its code
        // (the plan has an error, so nothing is computed with it): the
        // logs that use it are not reported as unknown on top of that.
        let en = reader.string(ut, "en", &section);
        out.push(Unit {
            code: code.to_owned(),
            name: name.unwrap_or_default(),
            level: level.unwrap_or(usize::MAX),
            from,
            until,
            en,
        });
    }
    out
}
