//! `plan completions SHELL` and `plan man`: the shell completion script and
//! the manual page, generated (`clap_complete`, `clap_mangen`) from the same
//! command line as `--help`, in the language asked for.

use std::io::{self, Write};

use crate::cli::{CompletionsArgs, ManArgs};
use crate::error::Error;
use crate::help;
use crate::lang::Lang;

use super::Exit;

pub fn completions(args: &CompletionsArgs, lang: Lang) -> Result<Exit, Error> {
    let mut cmd = help::command(lang);
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "plan", &mut out);
    write_out(&out, lang)
}

pub fn man(args: &ManArgs, lang: Lang) -> Result<Exit, Error> {
    let cmd = help::command(lang);
    let Some(dir) = &args.dir else {
        let mut out = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut out)
            .map_err(|e| Error::Io(e.to_string()))?;
        return write_out(&localise_sections(&out, lang), lang);
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::Io(format!("{}: {}", dir.display(), lang.io_error(&e))))?;
    // One page for `plan`, one per command (`plan-status.1`), as git ships.
    let mut pages = vec![("plan".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("plan-{}", sub.get_name());
        pages.push((name, sub.clone()));
    }
    for (name, page) in pages {
        let mut out = Vec::new();
        let path = dir.join(format!("{name}.1"));
        clap_mangen::Man::new(page)
            .title(name.to_uppercase())
            .render(&mut out)
            .map_err(|e| Error::Io(format!("{}: {}", path.display(), lang.io_error(&e))))?;
        crate::safe_write::write_file(&path, &localise_sections(&out, lang), None)
            .map_err(|e| Error::Io(format!("{}: {}", path.display(), e.message(lang))))?;
    }
    Ok(Exit::Success)
}

/// `clap_mangen` writes its own section headings in English; in Vietnamese
/// they become the page's language too (the text under them already is).
fn localise_sections(roff: &[u8], lang: Lang) -> Vec<u8> {
    const VI: [(&str, &str); 6] = [
        (".SH NAME\n", ".SH TÊN\n"),
        (".SH SYNOPSIS\n", ".SH \"CÚ PHÁP\"\n"),
        (".SH DESCRIPTION\n", ".SH \"MÔ TẢ\"\n"),
        (".SH OPTIONS\n", ".SH \"TÙY CHỌN\"\n"),
        (".SH EXTRA\n", ".SH \"THÊM\"\n"),
        (".SH VERSION\n", ".SH \"PHIÊN BẢN\"\n"),
    ];
    let mut text = String::from_utf8_lossy(roff).into_owned();
    if lang == Lang::Vi {
        for (en, vi) in VI {
            text = text.replace(en, vi);
        }
    }
    text.into_bytes()
}

fn write_out(bytes: &[u8], lang: Lang) -> Result<Exit, Error> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(Exit::Success),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Exit::Success),
        Err(e) => Err(Error::Io(lang.io_error(&e))),
    }
}
