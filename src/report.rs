//! Report drafts (half-year, annual, mid-term, final): built from the
//! engine's evaluation into a format-neutral [`doc::Document`], then rendered
//! as Markdown or DOCX.

pub mod build;
pub mod doc;
pub mod docx;
pub mod markdown;
pub mod office;
