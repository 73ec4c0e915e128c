//! Shell conventions: completions, the man page, `-o -`, the format chosen
//! by `-o`'s extension (a usage error naming the accepted ones otherwise),
//! DOCX to a redirected stdout, and the confirmation of a written file.

use assert_cmd::Command;

fn plan_vi() -> Command {
    let mut cmd = Command::cargo_bin("plan").unwrap();
    cmd.env_remove("PLAN_LANG").current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(mut cmd: Command, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = cmd.args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn completions_for_every_shell_need_no_workspace() {
    let empty = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_plan()"),
        ("zsh", "#compdef plan"),
        ("fish", "complete -c plan"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = run(plan_vi(), &["-C", empty.path().to_str().unwrap(), "completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(marker), "{shell}:\n{text}");
        assert!(text.contains("status") && text.contains("half"), "{shell}");
    }
    let (code, _, err) = run(plan_vi(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("bash, elvish, fish, powershell, zsh"), "{err}");
}

#[test]
fn the_man_page_is_roff_in_the_users_language() {
    let (code, out, _) = run(plan_vi(), &["man"]);
    assert_eq!(code, 0);
    let page = String::from_utf8(out).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH plan"),
        "{page}"
    );
    assert!(page.contains("Kiểm tra kế hoạch"), "Vietnamese by default");
    // The section headings too, not clap_mangen's English ones.
    assert!(
        page.contains(".SH TÊN\n") && page.contains(".SH \"CÚ PHÁP\"\n"),
        "{page}"
    );
    assert!(!page.contains(".SH NAME"), "{page}");
    let (_, out, _) = run(plan_vi(), &["--lang", "en", "man"]);
    let en = String::from_utf8(out).unwrap();
    assert!(en.contains("Validate programme plans"));
    assert!(en.contains(".SH NAME\n"), "{en}");
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(plan_vi(), &["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for page in ["plan.1", "plan-status.1", "plan-report.1", "plan-completions.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(".SH TÊN\n"), "{page}");
    }
}

#[test]
fn the_extension_chooses_the_format_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (file, format) in [
        ("z.doc", None),
        ("z.pdf", None),
        ("z.docx", Some("md")),
        ("s.xml", None),
    ] {
        let path = dir.path().join(file);
        let mut args = vec![if file.starts_with('s') { "status" } else { "report" }];
        if !file.starts_with('s') {
            args.extend(["--half", "2023H1"]);
        }
        args.extend(["-o", path.to_str().unwrap()]);
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        let (code, _, err) = run(plan_vi(), &args);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(!path.exists(), "{file} written");
        assert!(
            err.contains(".md") && (err.contains(".docx") || err.contains(".json")),
            "{file}: {err}"
        );
    }
    // `.docx` alone means DOCX; a file with no extension takes --format.
    let docx = dir.path().join("r.docx");
    let (code, _, err) = run(plan_vi(), &["report", "--half", "2023H1", "-o", docx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(&std::fs::read(&docx).unwrap()[..2], b"PK");
    assert_eq!(err, format!("đã ghi báo cáo vào {}\n", docx.display()));
    let bare = dir.path().join("report");
    let (code, _, _) = run(
        plan_vi(),
        &[
            "report",
            "--half",
            "2023H1",
            "--format",
            "docx",
            "-o",
            bare.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(&std::fs::read(&bare).unwrap()[..2], b"PK");
}

#[test]
fn a_dash_is_standard_output_and_docx_may_be_redirected() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = plan_vi();
    cmd.current_dir(dir.path());
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, out, _) = run(cmd, &["-C", root, "report", "--half", "2023H1", "-o", "-"]);
    assert_eq!(code, 0);
    assert!(String::from_utf8(out).unwrap().contains("BÁO CÁO"));
    assert!(!dir.path().join("-").exists(), "no file named `-`");
    // Standard output is not a terminal here: DOCX goes there.
    let (code, out, err) = run(plan_vi(), &["report", "--half", "2023H1", "--format", "docx"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(&out[..2], b"PK");
}

#[test]
fn status_writes_the_format_its_extension_names() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("s.json");
    let (code, _, err) = run(
        plan_vi(),
        &["status", "--at", "2023-06-30", "-o", json.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(err, format!("đã ghi tình hình thực hiện vào {}\n", json.display()));
    let (_, stdout, _) = run(plan_vi(), &["status", "--at", "2023-06-30", "--format", "json"]);
    assert_eq!(std::fs::read(&json).unwrap(), stdout);
    let csv = dir.path().join("s.csv");
    let (code, _, err) = run(plan_vi(), &["-q", "status", "-o", csv.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(std::fs::read_to_string(&csv).unwrap().starts_with("target,"));
}
