//! Laying out the Request tab's three parts and drawing what is the coordinator's: the
//! block each part sits in, the inputs over the editor, and the findings' detail. Each
//! component draws itself (`view/list.rs`, `view/editor.rs`, `view/response.rs`). Pure:
//! state and theme in, cells out.

mod editor;
mod list;
mod parts;
mod response;
mod response_body;
mod row;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::{Focus, RequestPane, Sending};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{findings, titled};

/// From this width on, the response sits beside the editor instead of below it.
pub const WIDE: u16 = 140;

impl RequestPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let wide = area.width >= WIDE;
        let list_width = if wide { 32 } else { 24 };
        let [list, rest] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Fill(1)]).areas(area);
        let [editor, response] = if wide {
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest)
        } else {
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest)
        };
        let current = self.editor.origin.as_ref();
        let focused = |part| self.focus == part;
        (self.list).render(
            frame,
            list,
            theme,
            focused(Focus::List),
            current,
            self.editor.unsaved(),
        );
        match &self.editor.body_editor {
            Some(body) => {
                body.editor
                    .render(frame, editor, body.title(), body.status(theme), theme)
            }
            None => {
                let env = self.list.env_lines(theme);
                (self.editor).render(frame, editor, theme, focused(Focus::Editor), env);
            }
        }
        response::render(self, frame, response, theme);
        // One-line inputs sit over the bottom of the editor.
        let height = 3.min(editor.height);
        let input_at = Rect {
            y: editor.y + editor.height - height,
            height,
            ..editor
        };
        self.editor.render_input(frame, input_at, theme);
        if let Some(prompt) = &self.list.move_to {
            prompt
                .input
                .render(frame, input_at, &prompt.title(), true, theme);
        }
        if let Some(shown) = &self.response.shown
            && shown.detail
            && let Some(f) = shown.exchange.findings.get(shown.finding)
        {
            findings::render_detail(frame, area, f, theme);
        }
    }

    /// A one-line summary of the send in progress, for the response pane.
    fn sending_text(&self) -> Option<&'static str> {
        match self.sending {
            Sending::Idle => None,
            _ => Some("Sending… esc cancels"),
        }
    }
}

/// The block a part sits in. The focused part says so in its title too, so it shows without
/// colour.
fn block<'a>(title: &str, focused: bool, theme: &Theme) -> ratatui::widgets::Block<'a> {
    if focused {
        titled(&format!("▶ {title}"), theme)
            .border_style(theme.style(Role::Accent))
            .border_type(ratatui::widgets::BorderType::Thick)
    } else {
        titled(title, theme)
    }
}
