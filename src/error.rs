//! The errors that stop a command: a bad command line, a file or stream
//! that cannot be read or written, git failing, inputs refused. Commands
//! return them; [`crate::run`] prints each once (see [`print`]) and turns it
//! into the exit code. The findings of `check` are not errors: they are
//! diagnostics ([`crate::diag`]).

use std::io::Write as _;

use crate::commands::Exit;
use crate::lang::Lang;

/// Why a command stopped. The messages are already in the user's language.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for what cannot be done: an option's value,
    /// a code not in the plan, a choice missing, a period out of the term.
    #[error("{0}")]
    Usage(String),
    /// A file or stream could not be read or written.
    #[error("{0}")]
    Io(String),
    /// git could not be run, or refused what it was asked.
    #[error("{0}")]
    Git(String),
    /// The inputs have errors, already shown as diagnostics; `unreadable`
    /// when a file could not be read at all.
    #[error("the inputs have errors")]
    Refused { unreadable: bool },
}

impl Error {
    pub fn usage(msg: impl Into<String>) -> Error {
        Error::Usage(msg.into())
    }

    pub fn io(msg: impl Into<String>) -> Error {
        Error::Io(msg.into())
    }

    pub fn git(msg: impl Into<String>) -> Error {
        Error::Git(msg.into())
    }

    /// The process exit code: 2 when the tool could not run (usage, I/O,
    /// git, an unreadable input), 1 for inputs with errors.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Refused { unreadable: false } => Exit::Invalid,
            _ => Exit::Fatal,
        }
    }
}

/// Writes `err` on stderr as `lỗi: …` (`error: …`), control characters
/// escaped; a refusal prints nothing (its diagnostics were shown).
pub fn print(err: &Error, lang: Lang) {
    match err {
        Error::Usage(msg) | Error::Io(msg) | Error::Git(msg) => {
            let msg = crate::escape::terminal(msg);
            let _ = writeln!(std::io::stderr(), "{}: {msg}", lang.pick("lỗi", "error"));
        }
        Error::Refused { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_with_errors_exit_1() {
        assert_eq!(Error::Refused { unreadable: false }.exit(), Exit::Invalid);
        assert_eq!(Error::Refused { unreadable: true }.exit(), Exit::Fatal);
        assert_eq!(Error::Usage("x".to_owned()).exit(), Exit::Fatal);
        assert_eq!(Error::Git("x".to_owned()).exit(), Exit::Fatal);
    }
}
