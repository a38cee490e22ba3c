//! Hand-written because deferring each subcommand's clap builder cut a third off start-up.
//!
//! `Lazy<T>`: a subcommand whose arguments clap builds only when that subcommand is run.
//!
//! clap's derive builds every argument of every subcommand before it parses anything, copying
//! each help text to the heap on the way. With a dozen commands that was a third of
//! `apiward jwt decode`'s start-up (docs/benchmarks.md). Wrapping a variant's payload in `Lazy`
//! hands its builder to `Command::defer`, which clap runs when it enters that subcommand, and
//! for `--help` and `debug_assert`, which build what they show.

use std::sync::atomic::{AtomicBool, Ordering};

use clap::{ArgMatches, Args, Command, CommandFactory, Error, FromArgMatches, Subcommand};

/// A subcommand payload built on demand; `.0` is the parsed value.
#[derive(Debug)]
pub struct Lazy<T>(pub T);

/// Set while building the whole tree at once, see [`eager`].
static EAGER: AtomicBool = AtomicBool::new(false);

/// The full command tree, built up front. Completion scripts need it: clap derives the
/// `help` subcommand's own tree from the subcommands as they are before they are built.
pub fn eager<C: CommandFactory>() -> Command {
    EAGER.store(true, Ordering::Relaxed);
    let cmd = C::command();
    EAGER.store(false, Ordering::Relaxed);
    cmd
}

/// Runs `augment` when clap enters the subcommand. The subcommand keeps the one-line
/// description its enum variant gave it: the variant's is set as soon as `augment` is deferred,
/// and a payload's own doc comment (a flattened struct's, say) would otherwise replace it.
fn keep_about(cmd: Command, augment: fn(Command) -> Command) -> Command {
    let (about, long_about) = (cmd.get_about().cloned(), cmd.get_long_about().cloned());
    let cmd = augment(cmd);
    let Some(about) = about else { return cmd };
    let cmd = cmd.about(about);
    match long_about {
        Some(text) => cmd.long_about(text),
        None => cmd.long_about(None::<&str>),
    }
}

fn eager_now() -> bool {
    EAGER.load(Ordering::Relaxed)
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, Error> {
        T::from_arg_matches(matches).map(Lazy)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, Error> {
        T::from_arg_matches_mut(matches).map(Lazy)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

/// For a variant like `Audit(Lazy<AuditArgs>)`.
impl<T: Args> Args for Lazy<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: Command) -> Command {
        if eager_now() {
            return T::augment_args(cmd);
        }
        cmd.defer(|cmd| keep_about(cmd, T::augment_args))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        if eager_now() {
            return T::augment_args_for_update(cmd);
        }
        cmd.defer(|cmd| keep_about(cmd, T::augment_args_for_update))
    }
}

/// For a variant like `#[command(subcommand)] Jwt(Lazy<JwtCommand>)`.
impl<T: Subcommand> Subcommand for Lazy<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        if eager_now() {
            return T::augment_subcommands(cmd);
        }
        cmd.defer(|cmd| keep_about(cmd, T::augment_subcommands))
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        if eager_now() {
            return T::augment_subcommands_for_update(cmd);
        }
        cmd.defer(|cmd| keep_about(cmd, T::augment_subcommands_for_update))
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}
