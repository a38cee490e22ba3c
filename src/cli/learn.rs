//! `apiward learn`: the lessons from the command line: list them, read one, reveal its hints
//! and check it (exit 0 done, 1 not yet).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use clap::{Args, Subcommand};

use super::output::{self, bold, dim, paint};
use super::{CliError, CliResult};
use crate::learn::{self, Course, LESSONS, Lesson, Status};

#[derive(Debug, Args)]
pub struct LearnArgs {
    #[command(subcommand)]
    pub command: LearnCommand,
    /// The lab root, where labs record exploits and run (default: lab/ in the data directory,
    /// where `apiward lab` and the workbench's lab write). Lessons name the lab started last.
    #[arg(long, global = true, value_name = "DIR")]
    pub lab_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LearnCommand {
    /// Every lesson, with a ✓ for those done.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// A lesson's goal, background, steps and the hints revealed so far.
    Show {
        /// The lesson's number or id.
        lesson: String,
    },
    /// Reveal the next hint of a lesson.
    Hint { lesson: String },
    /// Whether a lesson is done: exit 0 when it is, 1 when not yet.
    Check { lesson: String },
}

pub fn run(args: LearnArgs, workspace: Option<&Path>) -> CliResult {
    let course = course(workspace, args.lab_dir)?;
    let color = output::color();
    match args.command {
        LearnCommand::List { json } => {
            let statuses = course.check_all(&course.lab_successes()?)?;
            if json {
                let list: Vec<_> = LESSONS
                    .iter()
                    .zip(&statuses)
                    .enumerate()
                    .map(|(i, (l, s))| {
                        serde_json::json!({
                            "number": i + 1, "id": l.id, "title": l.title,
                            "track": l.track.title(), "owasp": l.owasp, "done": s.is_done(),
                        })
                    })
                    .collect();
                output::print_json(&list);
            } else {
                print!("{}", list_text(&statuses, color));
            }
            Ok(ExitCode::SUCCESS)
        }
        LearnCommand::Show { lesson } => {
            let (n, lesson) = learn::lesson(&lesson)?;
            let status = course.check_all(&course.lab_successes()?)?[n - 1].clone();
            let shown = course.progress()?.hints_shown(lesson.id);
            print!("{}", lesson_text(&course, n, lesson, &status, shown, color));
            Ok(ExitCode::SUCCESS)
        }
        LearnCommand::Hint { lesson } => {
            let (n, lesson) = learn::lesson(&lesson)?;
            let shown = course.reveal_hint(lesson)?;
            let urls = course.lab_urls();
            println!(
                "Hint {shown}/{} for lesson {n}: {}",
                lesson.hints.len(),
                learn::fill(lesson.hints[shown - 1], urls.as_ref())
            );
            if shown == lesson.hints.len() {
                println!("{}", paint("That was the last hint.", dim(), color));
            }
            Ok(ExitCode::SUCCESS)
        }
        LearnCommand::Check { lesson } => {
            let (n, lesson) = learn::lesson(&lesson)?;
            match &course.check_all(&course.lab_successes()?)?[n - 1] {
                Status::Done(why) => {
                    println!(
                        "{} lesson {n}, {}: done ({why})",
                        paint("✓", done_style(), color),
                        lesson.title
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Status::NotYet => {
                    println!(
                        "lesson {n}, {}: not yet. Goal: {}",
                        lesson.title, lesson.goal
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

fn course(workspace: Option<&Path>, lab_dir: Option<PathBuf>) -> Result<Course, CliError> {
    let workspace = workspace
        .map(Path::to_path_buf)
        .or_else(crate::paths::sample_workspace);
    let lab_dir = lab_dir.or_else(crate::paths::lab_dir);
    match (workspace, lab_dir) {
        (Some(w), Some(l)) => Ok(Course::new(w, l)),
        _ => Err(anyhow::anyhow!("no data directory here: pass --workspace and --lab-dir").into()),
    }
}

/// Notes the findings of a CLI run when the lab answered it, so lessons can count them.
/// Lessons are a side matter here: a failure is logged, never shown or fatal.
pub fn note_lab_run<'a>(
    workspace: Option<&Path>,
    headers: impl Iterator<Item = (&'a str, &'a str)>,
    findings: &[crate::findings::Finding],
) {
    if findings.is_empty() || !learn::is_lab_answer(headers) {
        return;
    }
    let Some(dir) = workspace
        .map(Path::to_path_buf)
        .or_else(crate::paths::sample_workspace)
    else {
        return;
    };
    if let Err(e) = learn::note_findings(&dir, findings.iter().map(|f| f.id.as_str())) {
        tracing::warn!("lesson progress not noted: {e}");
    }
}

fn done_style() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into())).bold()
}

fn list_text(statuses: &[Status], color: bool) -> String {
    let mut out = String::new();
    let mut track = None;
    for (i, (lesson, status)) in LESSONS.iter().zip(statuses).enumerate() {
        if track != Some(lesson.track) {
            track = Some(lesson.track);
            let _ = writeln!(out, "{}", paint(lesson.track.title(), bold(), color));
        }
        let mark = if status.is_done() {
            paint("✓", done_style(), color)
        } else {
            paint("·", dim(), color)
        };
        let _ = writeln!(
            out,
            "  {:>2}  {mark}  {:<52} {}",
            i + 1,
            lesson.title,
            paint(owasp_id(lesson.owasp), dim(), color)
        );
    }
    let done = statuses.iter().filter(|s| s.is_done()).count();
    let _ = writeln!(
        out,
        "\n{done}/{} done. Read one with: apiward learn show N",
        LESSONS.len()
    );
    out
}

/// "API2:2023" from "API2:2023 Broken Authentication".
pub fn owasp_id(owasp: &str) -> &str {
    owasp.split(' ').next().unwrap_or(owasp)
}

fn lesson_text(
    course: &Course,
    n: usize,
    lesson: &Lesson,
    status: &Status,
    hints_shown: usize,
    color: bool,
) -> String {
    let urls = course.lab_urls();
    let fill = |t: &str| learn::fill(t, urls.as_ref());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({}, {})",
        paint(&format!("Lesson {n}: {}", lesson.title), bold(), color),
        lesson.track.label(),
        lesson.owasp
    );
    let state = match status {
        Status::Done(why) => format!("{} done: {why}", paint("✓", done_style(), color)),
        Status::NotYet => "not done yet".to_string(),
    };
    let _ = writeln!(out, "{state}\n");
    let _ = writeln!(out, "{} {}\n", paint("Goal:", bold(), color), lesson.goal);
    let _ = writeln!(out, "{}\n", lesson.background);
    let _ = writeln!(out, "{}", paint("Steps", bold(), color));
    for (i, step) in lesson.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {}", i + 1, fill(step));
    }
    if !lesson.cli.is_empty() {
        let _ = writeln!(out, "\n{}", paint("From a shell", bold(), color));
        for step in lesson.cli {
            let _ = writeln!(out, "  $ {}", fill(&step.text()));
        }
    }
    let _ = writeln!(out);
    for (i, hint) in lesson.hints.iter().take(hints_shown).enumerate() {
        let _ = writeln!(out, "Hint {}: {}", i + 1, fill(hint));
    }
    if hints_shown < lesson.hints.len() {
        let _ = writeln!(
            out,
            "{}",
            paint(
                &format!(
                    "{} of {} hints shown; apiward learn hint {n} reveals the next.",
                    hints_shown,
                    lesson.hints.len()
                ),
                dim(),
                color
            )
        );
    }
    if urls.is_none() {
        let _ = writeln!(
            out,
            "{}",
            paint(
                "No lab is running: start one with `apiward lab` (or open the workbench) for real addresses.",
                dim(),
                color
            )
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            paint(
                &format!(
                    "Check it with: apiward learn check {n}   (lab log: {})",
                    course.access_log().display()
                ),
                dim(),
                color
            )
        );
    }
    out
}
