//! The rotation timeline: each key's life as a bar across time (next, active, retiring, with
//! the planned ends drawn ahead of now), a `│ now` marker, and the plan's steps numbered as in
//! the plan list, each at its safe point: when it is both due and safe.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::keys::plan::{remove_safe_at, rotation_due_at};
use crate::keys::{KeyState, Keyring, Plan};
use crate::tui::theme::{Role, Theme};

/// The width of the kid column on the left.
pub const LABEL: usize = 12;

/// What each mark means, for the line under the timeline.
pub const LEGEND: &str = "░ next  █ active  ▒ retiring  ✗ revoked  │ now  1-9 safe points";

/// The colour of a key state, shared with the table.
pub fn state_role(state: KeyState) -> Role {
    match state {
        KeyState::Next => Role::Accent,
        KeyState::Active => Role::Success,
        KeyState::Retiring => Role::Warning,
        KeyState::Retired => Role::Muted,
        KeyState::Revoked => Role::Error,
    }
}

/// Where a step's safe point is drawn: when it becomes safe, or when it is due for steps
/// that are always safe.
pub fn safe_point(step: &crate::keys::Step) -> i64 {
    if step.safe_at == i64::MIN {
        step.due_at
    } else {
        step.safe_at
    }
}

/// Maps times to columns of a track `width` cells wide.
struct Scale {
    t0: i64,
    t1: i64,
    width: usize,
}

impl Scale {
    fn new(ring: &Keyring, plan: &Plan, now: i64, width: usize) -> Self {
        let mut times: Vec<i64> = vec![now];
        for k in &ring.keys {
            times.push(k.created_at);
            times.extend(
                [k.retired_at, k.revoked_at, k.deactivated_at]
                    .into_iter()
                    .flatten(),
            );
        }
        times.extend(plan.steps.iter().map(|s| s.at()));
        times.extend(plan.steps.iter().map(safe_point));
        let t0 = times.iter().copied().min().unwrap_or(now);
        let t1 = times.iter().copied().max().unwrap_or(now);
        let span = (t1 - t0).max(86_400);
        // A little room after the last point, so it is not on the border.
        Self {
            t0,
            t1: t0 + span + span / 30,
            width: width.max(1),
        }
    }

    fn col(&self, t: i64) -> usize {
        let t = t.clamp(self.t0, self.t1);
        let pos =
            i128::from(t - self.t0) * (self.width as i128 - 1) / i128::from(self.t1 - self.t0);
        pos as usize
    }
}

/// One row of cells.
struct Row {
    cells: Vec<(char, Style)>,
}

impl Row {
    fn new(width: usize, style: Style) -> Self {
        Self {
            cells: vec![(' ', style); width],
        }
    }

    fn bar(&mut self, scale: &Scale, from: i64, to: i64, mark: char, style: Style) {
        let (a, b) = (scale.col(from), scale.col(to.max(from)));
        for cell in &mut self.cells[a..=b] {
            *cell = (mark, style);
        }
    }

    fn put(&mut self, col: usize, text: &str, style: Style) {
        for (i, c) in text.chars().enumerate() {
            if let Some(cell) = self.cells.get_mut(col + i) {
                *cell = (c, style);
            }
        }
    }

    /// The now marker, where nothing else is drawn.
    fn now(&mut self, col: usize, style: Style) {
        if let Some(cell) = self.cells.get_mut(col)
            && cell.0 == ' '
        {
            *cell = ('│', style);
        }
    }

    fn into_line(self, label: Span<'static>) -> Line<'static> {
        let mut spans = vec![label];
        let mut run = String::new();
        let mut style = None;
        for (c, s) in self.cells {
            if style.is_some_and(|st| st != s) {
                spans.push(Span::styled(
                    std::mem::take(&mut run),
                    style.unwrap_or_default(),
                ));
            }
            style = Some(s);
            run.push(c);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, style.unwrap_or_default()));
        }
        Line::from(spans)
    }
}

fn label(text: &str, style: Style) -> Span<'static> {
    let short: String = if text.chars().count() > LABEL - 1 {
        let mut s: String = text.chars().take(LABEL - 2).collect();
        s.push('…');
        s
    } else {
        text.to_string()
    };
    Span::styled(format!("{short:<width$}", width = LABEL), style)
}

/// The timeline's lines for a pane `width` cells wide (the label column included).
pub fn lines(
    ring: &Keyring,
    plan: &Plan,
    now: i64,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let track = (width as usize).saturating_sub(LABEL).max(10);
    let scale = Scale::new(ring, plan, now, track);
    let base = theme.base();
    let muted = theme.style(Role::Muted);
    let accent = theme.style(Role::Accent);
    let now_col = scale.col(now);
    let mut out = Vec::new();

    // The now label, pointing down at its column.
    let mut top = Row::new(track, base);
    if now_col + 5 <= track {
        top.put(now_col, "│ now", accent);
    } else {
        top.put(now_col.saturating_sub(4), "now │", accent);
    }
    out.push(top.into_line(label("", base)));

    let step_at = |kid: &str| {
        plan.steps
            .iter()
            .find(|s| s.kid.as_deref() == Some(kid))
            .map(|s| s.at())
    };
    for k in &ring.keys {
        let mut row = Row::new(track, base);
        let gone = k.retired_at.or(k.revoked_at);
        // Next: from creation until it signed, left, or (still next) its planned promotion.
        let next_end = k.activated_at.or(gone).unwrap_or_else(|| match k.state {
            KeyState::Next => step_at(&k.kid).unwrap_or(now).max(now),
            _ => now,
        });
        row.bar(
            &scale,
            k.created_at,
            next_end,
            '░',
            theme.style(Role::Accent),
        );
        if let Some(active) = k.activated_at {
            let end = k
                .deactivated_at
                .unwrap_or_else(|| rotation_due_at(&ring.policy, k).max(now));
            row.bar(&scale, active, end, '█', theme.style(Role::Success));
        }
        if let Some(off) = k.deactivated_at {
            let end = gone.unwrap_or_else(|| remove_safe_at(&ring.policy, k).max(now));
            if k.revoked_at.is_none() || k.revoked_at > Some(off) {
                row.bar(&scale, off, end, '▒', theme.style(Role::Warning));
            }
        }
        if let Some(revoked) = k.revoked_at {
            row.put(scale.col(revoked), "✗", theme.style(Role::Error));
        }
        row.now(now_col, muted);
        out.push(row.into_line(label(&k.kid, theme.style(state_role(k.state)))));
    }

    let mut safe = Row::new(track, base);
    for (i, step) in plan.steps.iter().enumerate().take(9) {
        let digit = char::from_digit(i as u32 + 1, 10).unwrap_or('*');
        let role = if step.is_safe(now) {
            Role::Success
        } else {
            Role::Warning
        };
        safe.put(scale.col(step.at()), &digit.to_string(), theme.style(role));
    }
    safe.now(now_col, muted);
    out.push(safe.into_line(label("safe points", muted)));

    // The axis, with the first and last dates.
    let mut axis = Row::new(track, muted);
    axis.bar(&scale, scale.t0, scale.t1, '─', muted);
    let first = crate::jwt::format_utc(scale.t0)[..10].to_string();
    let last = crate::jwt::format_utc(scale.t1)[..10].to_string();
    axis.put(0, &first, muted);
    if track > 2 * first.len() + 2 {
        axis.put(track - last.len(), &last, muted);
    }
    if let Some(cell) = axis.cells.get_mut(now_col)
        && cell.0 == '─'
    {
        *cell = ('┴', accent);
    }
    out.push(axis.into_line(label("", base)));
    out.push(Line::styled(format!("{:LABEL$}{LEGEND}", ""), muted));
    out
}
