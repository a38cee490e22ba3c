//! The Audit tab's messages: the results of the audits and lints it starts.

use super::lint_report::LintReport;
use crate::audit::AuditReport;
use crate::tasks::{TaskError, TaskFailure};

#[derive(Debug)]
pub enum Msg {
    /// A single audit ended.
    Audited(Result<Box<AuditReport>, TaskError<TaskFailure>>),
    /// A batch's targets file was read: its targets, before any report.
    BatchTargets(Vec<String>),
    /// One target of a batch finished.
    BatchItem(Box<AuditReport>),
    /// A batch ended, or its targets file could not be read.
    BatchEnded(Result<(), TaskError<TaskFailure>>),
    /// A spec lint ended.
    Linted(Result<Box<LintReport>, TaskError<TaskFailure>>),
}
