//! `apiward spec lint FILE|URL`: security findings on an API description, as text grouped by
//! rule, JSON (streamed: a large description has tens of thousands) or SARIF; `apiward spec
//! check FILE --env NAME`: the description against the live API it describes.

mod check;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::output::{self, bold, dim, paint, severity_style};
use super::{CliResult, task};
use crate::findings::{Finding, Severity};
use crate::spec::lint::text::{Part, TextStyle};
use crate::spec::lint::{self, Hit, Located};
use crate::spec::{Document, LoadOptions, Location};
use crate::tasks::TaskKind;

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Lint an API description (OpenAPI 3.x or Swagger 2.0, JSON or YAML) for security
    /// problems: the OWASP API Top 10 checks of Spectral's OWASP ruleset, 42Crunch and vacuum.
    Lint(LintArgs),
    /// Send the safe operations of a description to the API and report what it does that the
    /// description does not say: undocumented statuses and fields, missing authentication,
    /// weak security headers.
    Check(check::CheckArgs),
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Fetch the description from a host other than this machine.
    #[arg(long)]
    pub allow_remote: bool,
    /// Follow $refs to other hosts.
    #[arg(long)]
    pub allow_remote_refs: bool,
}

impl LoadArgs {
    pub fn options(&self) -> LoadOptions {
        LoadOptions {
            allow_remote: self.allow_remote,
            allow_remote_refs: self.allow_remote_refs,
            ..LoadOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The description: a file, or an http(s) URL.
    pub source: String,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Print JSON: every finding with its file and JSON pointer.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print SARIF 2.1.0 for code-scanning tools.
    #[arg(long)]
    pub sarif: bool,
    /// Places listed under each rule in the text output (JSON and SARIF list all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub show: usize,
    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

pub fn run(command: SpecCommand, workspace: Option<&Path>) -> CliResult {
    match command {
        SpecCommand::Lint(args) => run_lint(args),
        SpecCommand::Check(args) => check::run(args, workspace),
    }
}

/// Loads the description named on the command line, with a spinner on a terminal.
pub fn load(source: &str, options: LoadOptions) -> Result<Document, super::CliError> {
    let location = Location::parse(source);
    task::run_async(
        TaskKind::Other,
        format!("load {source}"),
        move |_| async move { Ok(Document::load(&location, &options).await?) },
    )
}

fn run_lint(args: LintArgs) -> CliResult {
    let doc = load(&args.source, args.load.options())?;
    let hits = lint::lint(&doc);
    if args.sarif {
        let findings: Vec<Finding> = hits.iter().map(|h| h.finding(&doc)).collect();
        output::print_json(&super::sarif::log(&findings, &args.source));
    } else if args.json {
        print_json(&args.source, &doc, &hits)?;
    } else {
        print_text(&args.source, &doc, &hits, args.show)?;
    }
    let over = args
        .fail_on
        .is_some_and(|floor| lint::worst(&hits).is_some_and(|w| w >= floor));
    Ok(if over {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `{"source", "version", "counts", "findings": [...]}`, written as it is made.
fn print_json(source: &str, doc: &Document, hits: &[Hit]) -> Result<(), super::CliError> {
    struct All<'a>(&'a Document, &'a [Hit]);
    impl Serialize for All<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.1.iter().map(|h| Located::new(h, self.0)))
        }
    }
    struct Report<'a> {
        source: &'a str,
        doc: &'a Document,
        hits: &'a [Hit],
    }
    impl Serialize for Report<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(4))?;
            map.serialize_entry("source", self.source)?;
            map.serialize_entry("version", self.doc.version.label())?;
            map.serialize_entry("counts", &counts(self.hits))?;
            map.serialize_entry("findings", &All(self.doc, self.hits))?;
            map.end()
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, &Report { source, doc, hits })
        .map_err(|e| anyhow::anyhow!("cannot write the output: {e}"))?;
    let _ = writeln!(out);
    let _ = out.flush();
    Ok(())
}

/// Findings per rule id, in rule order.
fn counts(hits: &[Hit]) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    for rule in lint::RULES {
        let n = hits.iter().filter(|h| h.rule.id == rule.id).count();
        if n > 0 {
            map.insert(rule.id.into(), n.into());
        }
    }
    map
}

/// Text grouped by rule, as the core writes it (the Audit tab copies the same), coloured on a
/// terminal.
fn print_text(
    source: &str,
    doc: &Document,
    hits: &[Hit],
    show: usize,
) -> Result<(), super::CliError> {
    let color = output::color();
    let paint = move |part: Part, text: &str| match part {
        Part::Strong => paint(text, bold(), color),
        Part::Label => paint(text, dim(), color),
        Part::Severity(severity) => paint(text, severity_style(severity), color),
    };
    let style = TextStyle {
        show,
        more_hint: " (--json or --sarif lists them all)",
        paint: &paint,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = out.write_all(lint::text::text(source, doc, hits, &style).as_bytes());
    let _ = out.flush();
    Ok(())
}
