//! The command line in the user's language: the clap [`Command`] built from
//! [`crate::cli`] with its help texts, headings and usage lines in Vietnamese
//! (the default) or English, each command's own options before the global
//! ones and examples at the end; and usage errors worded in that language.
//!
//! The English texts are the doc comments of `cli.rs`; the Vietnamese ones
//! live in `help/texts.rs`, keyed by command and argument id (a test checks
//! that none is missing). What clap would append in English (`[default:
//! …]`, `[possible values: …]`, `[env: …]`) is hidden and written into the
//! text instead.

mod texts;

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use crate::cli::Cli;
use crate::lang::Lang;
use texts::{EN_ABOUT, EXAMPLES, VI_ABOUT, VI_ARGS};

/// The language asked for on the command line (`--lang en`, `--lang=en`),
/// else by `PLAN_LANG`, else Vietnamese: known before clap parses, so that
/// its help and errors can be in it.
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut found = None;
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(std::borrow::Cow::into_owned),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        if let Some(v) = value {
            found = Some(v);
        }
    }
    let text = found.or_else(|| std::env::var("PLAN_LANG").ok());
    match text.as_deref().map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// `plan help [COMMAND]` as `plan [COMMAND] --help` (clap's own `help`
/// command would answer in English).
pub fn help_command(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push(OsString::from("--help"));
    }
    args
}

/// Example lines (`  command  what it does`) with the descriptions in one
/// column.
fn aligned(examples: &str) -> String {
    let split: Vec<(&str, &str)> = examples
        .lines()
        .map(|l| {
            let l = l.trim();
            l.split_once("  ").map_or((l, ""), |(c, d)| (c.trim(), d.trim()))
        })
        .collect();
    let width = split.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(0);
    split
        .iter()
        .map(|(c, d)| {
            if d.is_empty() {
                format!("  {c}")
            } else {
                format!("  {c:<width$}  {d}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The exit codes, at the end of `plan --help`.
fn exit_codes(lang: Lang) -> &'static str {
    lang.pick(
        "Mã thoát:\n  0  thành công\n  1  có lỗi trong kế hoạch hoặc nhật ký\n  2  không chạy được (sai cách dùng, không đọc/ghi được tệp, phiên bản git không có)\n  3  `status --fail-on` gặp trạng thái đã nêu",
        "Exit codes:\n  0  success\n  1  errors in the plans or logs\n  2  could not run (usage, a file not readable or writable, an unknown git revision)\n  3  `status --fail-on` matched",
    )
}

fn vi_arg(command: &str, id: &str) -> Option<&'static str> {
    VI_ARGS
        .iter()
        .find(|(c, a, _)| *a == id && (*c == command || c.is_empty()))
        .map(|(_, _, t)| *t)
}

/// The command line in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .propagate_version(false)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        );
    localize(cmd, lang, "plan", true)
}

fn localize(mut cmd: Command, lang: Lang, name: &str, root: bool) -> Command {
    let own = lang.pick("Tùy chọn", "Options");
    let global = lang.pick("Tùy chọn chung", "Global options");
    let positional = lang.pick("Tham số", "Arguments");
    cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .global(root),
    );
    let ids: Vec<(String, bool, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_global_set(), a.is_positional()))
        .collect();
    for (id, is_global, is_positional) in ids {
        let key = if root || is_global { "" } else { name };
        let heading = if is_positional {
            positional
        } else if root || is_global || id == "help" {
            global
        } else {
            own
        };
        let vi = vi_arg(key, &id);
        cmd = cmd.mut_arg(&id, |a| {
            let text = match lang {
                Lang::Vi => vi.map(str::to_owned),
                Lang::En => a.get_long_help().or(a.get_help()).map(ToString::to_string),
            }
            .or_else(|| builtin(&id, lang).map(str::to_owned))
            .unwrap_or_default();
            let mut text = text.trim_end().to_owned();
            if !text.is_empty() && !text.ends_with(['.', ')', '…']) {
                text.push('.'); // clap drops the full stop of a one-line doc comment
            }
            let text = format!("{text}{}", extra(&a, lang));
            let takes_values = a.get_action().takes_values();
            let names: Vec<clap::builder::Str> = a
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .map(|v| vi_value_name(v.as_str(), lang).map_or_else(|| v.clone(), clap::builder::Str::from))
                .collect();
            let a = if names.is_empty() { a } else { a.value_names(names) };
            let a = a.help(text).long_help(None::<&str>).help_heading(heading);
            if takes_values {
                a.hide_default_value(true).hide_possible_values(true).hide_env(true)
            } else {
                a
            }
        });
    }
    let about = match lang {
        Lang::Vi => VI_ABOUT.iter().find(|(c, _)| *c == name).map(|(_, t)| (*t).to_owned()),
        Lang::En if root => Some(EN_ABOUT.to_owned()),
        Lang::En => cmd
            .get_about()
            .map(|a| format!("{}.", a.to_string().trim_end_matches('.'))),
    };
    if let Some(about) = about {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let mut after = String::new();
    if let Some((_, vi, en)) = EXAMPLES.iter().find(|(c, _, _)| *c == name) {
        let _ = write!(
            after,
            "{}\n{}",
            lang.pick("Ví dụ:", "Examples:"),
            aligned(lang.pick(vi, en))
        );
    }
    if root {
        let _ = write!(after, "\n\n{}", exit_codes(lang));
    }
    let usage = usage_line(&cmd, name, root, lang);
    cmd = cmd
        .after_help(after)
        .override_usage(usage)
        .subcommand_help_heading(lang.pick("Lệnh", "Commands"))
        .subcommand_value_name(lang.pick("LỆNH", "COMMAND"))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            lang.pick("Cách dùng:", "Usage:")
        ));
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(&sub, |s| localize(s, lang, &sub, false));
    }
    cmd
}

/// `plan status [TÙY CHỌN]`, `plan diff [TÙY CHỌN] <REV> [REV2]`.
fn usage_line(cmd: &Command, name: &str, root: bool, lang: Lang) -> String {
    let options = lang.pick("[TÙY CHỌN]", "[OPTIONS]");
    if root {
        return format!("plan {options} <{}>", lang.pick("LỆNH", "COMMAND"));
    }
    let mut line = format!("plan {name} {options}");
    for a in cmd.get_positionals() {
        let value = a
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| a.get_id().to_string().to_uppercase(), ToString::to_string);
        let value = vi_value_name(&value, lang).map_or(value.clone(), str::to_owned);
        let many = matches!(a.get_action(), ArgAction::Append);
        let dots = if many { "..." } else { "" };
        if a.is_required_set() {
            let _ = write!(line, " <{value}>{dots}");
        } else {
            let _ = write!(line, " [{value}]{dots}");
        }
    }
    line
}

/// The placeholder of an option's value, in `lang`: `--output <TỆP>`.
fn vi_value_name(name: &str, lang: Lang) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    Some(match name {
        "FILE" => "TỆP",
        "DIR" => "THƯ_MỤC",
        "FORMAT" => "DẠNG",
        "COLOR" => "MÀU",
        "LANG" => "NGÔN_NGỮ",
        "ID" | "CODE" => "MÃ",
        "HALF" => "NỬA_NĂM",
        "YEAR" => "NĂM",
        "STATUSES" => "TRẠNG_THÁI",
        "SHELL" => "SHELL",
        "FILES" => "TỆP",
        "REV" => "PHIÊN_BẢN",
        "REV2" => "PHIÊN_BẢN_MỚI",
        _ => return None,
    })
}

/// Texts of the options clap adds itself.
fn builtin(id: &str, lang: Lang) -> Option<&'static str> {
    match id {
        "help" => Some(lang.pick("In trợ giúp này.", "Print this help.")),
        "version" => Some(lang.pick("In phiên bản.", "Print the version.")),
        _ => None,
    }
}

/// What clap would append in brackets, in `lang`: ` Giá trị: a, b. Mặc
/// định: a.`
fn extra(a: &Arg, lang: Lang) -> String {
    let mut out = String::new();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !values.is_empty() && a.get_action().takes_values() {
        let _ = write!(out, " {} {}.", lang.pick("Giá trị:", "Values:"), values.join(", "));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && a.get_action().takes_values() {
        let _ = write!(out, " {} {}.", lang.pick("Mặc định:", "Default:"), defaults.join(", "));
    }
    out
}

/// A usage error in `lang`, as printed on stderr (ending in a line break):
/// what is wrong, the usage line and where to read more.
pub fn usage_error(e: &clap::Error, cmd: &Command, lang: Lang) -> String {
    let Some(mut msg) = what_is_wrong(e, cmd, lang) else {
        return e.render().to_string();
    };
    let ctx = |k| context(e, k);
    for (kind, vi, en) in [
        (ContextKind::SuggestedArg, "có phải ý bạn là", "did you mean"),
        (ContextKind::SuggestedSubcommand, "có phải ý bạn là", "did you mean"),
        (ContextKind::SuggestedValue, "có phải ý bạn là", "did you mean"),
    ] {
        if let Some(s) = ctx(kind) {
            let _ = write!(msg, " ({} `{s}`?)", lang.pick(vi, en));
        }
    }
    let usage = ctx(ContextKind::Usage)
        .map(|u| {
            u.trim()
                .trim_start_matches("Usage:")
                .trim_start_matches("Cách dùng:")
                .trim()
                .to_owned()
        })
        .unwrap_or_default();
    let mut out = format!("{}: {}\n", lang.pick("lỗi", "error"), crate::escape::terminal(&msg));
    if !usage.is_empty() {
        let _ = writeln!(out, "\n{} {usage}", lang.pick("Cách dùng:", "Usage:"));
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Xem thêm: plan --help (hoặc plan LỆNH --help)",
            "For more: plan --help (or plan COMMAND --help)"
        )
    );
    out
}

/// The value of one piece of an error's context, as text.
fn context(e: &clap::Error, k: ContextKind) -> Option<String> {
    match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// What is wrong, in `lang`; `None` when clap shows the help instead.
fn what_is_wrong(e: &clap::Error, cmd: &Command, lang: Lang) -> Option<String> {
    let ctx = |k| context(e, k);
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let valid = ctx(ContextKind::ValidValue);
    let valid_sub = ctx(ContextKind::ValidSubcommand);
    let msg = match e.kind() {
        ErrorKind::InvalidValue => match (value.is_empty(), &valid) {
            (true, _) => lang
                .pick(&format!("{arg} cần một giá trị"), &format!("{arg} needs a value"))
                .to_owned(),
            (false, Some(v)) => lang
                .pick(
                    &format!("giá trị `{value}` không hợp lệ cho {arg}; các giá trị hợp lệ: {v}"),
                    &format!("invalid value `{value}` for {arg}; valid values: {v}"),
                )
                .to_owned(),
            (false, None) => lang
                .pick(
                    &format!("giá trị `{value}` không hợp lệ cho {arg}"),
                    &format!("invalid value `{value}` for {arg}"),
                )
                .to_owned(),
        },
        ErrorKind::UnknownArgument => lang
            .pick(
                &format!("không có tùy chọn `{arg}`"),
                &format!("unknown option `{arg}`"),
            )
            .to_owned(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::MissingSubcommand => {
            let names: Vec<&str> = cmd.get_subcommands().map(Command::get_name).collect();
            lang.pick(
                &format!("thiếu lệnh; các lệnh: {}", names.join(", ")),
                &format!("a command is missing; the commands are: {}", names.join(", ")),
            )
            .to_owned()
        }
        ErrorKind::InvalidSubcommand => {
            let arg = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            let names: Vec<&str> = cmd.get_subcommands().map(Command::get_name).collect();
            let list = valid_sub.unwrap_or_else(|| names.join(", "));
            lang.pick(
                &format!("không có lệnh `{arg}`; các lệnh: {list}"),
                &format!("unknown command `{arg}`; the commands are: {list}"),
            )
            .to_owned()
        }
        ErrorKind::MissingRequiredArgument => lang
            .pick(
                &format!("thiếu tham số bắt buộc: {arg}"),
                &format!("missing required argument: {arg}"),
            )
            .to_owned(),
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg).unwrap_or_default();
            lang.pick(
                &format!("{arg} không dùng cùng với {prior}"),
                &format!("{arg} cannot be used with {prior}"),
            )
            .to_owned()
        }
        ErrorKind::NoEquals => lang
            .pick(
                &format!("{arg} cần dấu `=`: {arg}=GIÁ_TRỊ"),
                &format!("{arg} needs `=`: {arg}=VALUE"),
            )
            .to_owned(),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => lang
            .pick(
                &format!("{arg}: số giá trị không đúng"),
                &format!("{arg}: wrong number of values"),
            )
            .to_owned(),
        ErrorKind::InvalidUtf8 => lang
            .pick("tham số không phải UTF-8", "an argument is not valid UTF-8")
            .to_owned(),
        _ => {
            // Anything else keeps clap's own words (English), after our label.
            let text = e.render().to_string();
            text.lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_owned()
        }
    };
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_commands_are_well_formed() {
        command(Lang::Vi).debug_assert();
        command(Lang::En).debug_assert();
    }

    #[test]
    fn every_option_and_command_has_its_vietnamese_text() {
        let root = Cli::command();
        let mut missing = Vec::new();
        for a in root.get_arguments() {
            if vi_arg("", a.get_id().as_str()).is_none() {
                missing.push(format!("plan {}", a.get_id()));
            }
        }
        for sub in root.get_subcommands() {
            let name = sub.get_name();
            if !VI_ABOUT.iter().any(|(c, _)| *c == name) {
                missing.push(format!("about of {name}"));
            }
            if !EXAMPLES.iter().any(|(c, _, _)| *c == name) {
                missing.push(format!("examples of {name}"));
            }
            for a in sub.get_arguments() {
                if vi_arg(name, a.get_id().as_str()).is_none() {
                    missing.push(format!("plan {name} {}", a.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "no Vietnamese text for: {missing:?}");
    }

    #[test]
    fn the_language_is_known_before_parsing() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_of(&args(&["plan", "--lang", "en", "status"])), Lang::En);
        assert_eq!(lang_of(&args(&["plan", "status", "--lang=en"])), Lang::En);
        assert_eq!(
            help_command(args(&["plan", "help", "status"])),
            args(&["plan", "status", "--help"])
        );
        assert_eq!(help_command(args(&["plan", "status"])), args(&["plan", "status"]));
        assert_eq!(
            lang_of(&args(&["plan", "--lang", "vi", "--", "--lang", "en"])),
            Lang::Vi
        );
    }
}
