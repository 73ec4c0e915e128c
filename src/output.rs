//! Where a command's single output goes, and in which format: `-o FILE`
//! (its extension names the format), `-o -` or no `-o` (standard output,
//! `--format` or the default decides). Used by every command that writes
//! one file (`report`, `status`); the bytes themselves are written by
//! [`write_file`](crate::safe_write::write_file).

use std::path::{Path, PathBuf};

use crate::lang::Lang;

/// Where the output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    Stdout,
    File(PathBuf),
}

/// The format and destination for `--format` and `-o`, given the accepted
/// extensions (`("md", Format::Md)`, ...). An extension not in `by_ext`, or
/// one that names another format than `--format`, is a usage error naming
/// the accepted ones.
pub fn choose<F: Copy + PartialEq>(
    format: Option<F>,
    output: Option<&Path>,
    by_ext: &[(&str, F)],
    default: F,
    lang: Lang,
) -> Result<(F, Dest), String> {
    let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
        return Ok((format.unwrap_or(default), Dest::Stdout));
    };
    let accepted = by_ext
        .iter()
        .map(|(e, _)| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(", ");
    let shown = crate::escape::terminal(&path.to_string_lossy()).into_owned();
    let Some(ext) = path.extension() else {
        return Ok((format.unwrap_or(default), Dest::File(path.to_path_buf())));
    };
    let ext = ext.to_string_lossy();
    let by_name = by_ext
        .iter()
        .find(|(e, _)| ext.eq_ignore_ascii_case(e))
        .map(|(_, f)| *f);
    match (by_name, format) {
        (None, _) => Err(lang
            .pick(
                &format!("-o {shown}: không nhận đuôi `.{ext}`; các đuôi được nhận: {accepted} (hoặc không có đuôi, khi đó --format quyết định)"),
                &format!("-o {shown}: the extension `.{ext}` is not accepted; accepted: {accepted} (or none, and --format decides)"),
            )
            .to_owned()),
        (Some(f), Some(asked)) if f != asked => {
            let name = by_ext
                .iter()
                .find(|(_, g)| *g == asked)
                .map_or_else(String::new, |(e, _)| (*e).to_owned());
            Err(lang
                .pick(
                    &format!("-o {shown} có đuôi `.{ext}` nhưng --format là `{name}`: bỏ --format, hoặc đặt tên tệp có đuôi khớp ({accepted})"),
                    &format!("-o {shown} ends in `.{ext}` but --format is `{name}`: drop --format, or give the file a matching extension ({accepted})"),
                )
                .to_owned())
        }
        (Some(f), _) => Ok((f, Dest::File(path.to_path_buf()))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum F {
        Md,
        Docx,
    }
    const EXT: &[(&str, F)] = &[("md", F::Md), ("docx", F::Docx)];

    fn pick(format: Option<F>, output: Option<&str>) -> Result<(F, Dest), String> {
        choose(format, output.map(Path::new), EXT, F::Md, Lang::En)
    }

    #[test]
    fn the_extension_decides_and_must_agree() {
        assert_eq!(pick(None, Some("r.docx")), Ok((F::Docx, Dest::File("r.docx".into()))));
        assert_eq!(pick(None, Some("r.MD")), Ok((F::Md, Dest::File("r.MD".into()))));
        assert_eq!(pick(Some(F::Docx), Some("r")), Ok((F::Docx, Dest::File("r".into()))));
        assert_eq!(pick(None, Some("r")), Ok((F::Md, Dest::File("r".into()))));
        let doc = pick(None, Some("z.doc")).unwrap_err();
        assert!(doc.contains(".md, .docx") && doc.contains("`.doc`"), "{doc}");
        assert!(pick(None, Some("z.pdf")).is_err());
        let mismatch = pick(Some(F::Md), Some("z.docx")).unwrap_err();
        assert!(mismatch.contains("--format is `md`"), "{mismatch}");
    }

    #[test]
    fn a_dash_is_standard_output() {
        assert_eq!(pick(Some(F::Docx), Some("-")), Ok((F::Docx, Dest::Stdout)));
        assert_eq!(pick(None, None), Ok((F::Md, Dest::Stdout)));
    }
}
