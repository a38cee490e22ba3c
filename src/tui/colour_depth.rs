//! How many colours the terminal shows, from `COLORTERM` and `TERM`, and a theme's 24-bit
//! colours brought down to the xterm 256-colour palette or the 16 ANSI colours for
//! terminals that have no more.

use ratatui::style::Color;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    TrueColour,
    Ansi256,
    Ansi16,
}

/// `COLORTERM=truecolor` (or `24bit`) is the one sure sign of 24-bit colour; a `TERM` with
/// `256color` in it has the 256-colour palette; anything else gets the 16 colours.
pub fn depth(colorterm: Option<&str>, term: Option<&str>) -> Depth {
    let colorterm = colorterm.unwrap_or_default().to_ascii_lowercase();
    let term = term.unwrap_or_default();
    if colorterm == "truecolor" || colorterm == "24bit" {
        Depth::TrueColour
    } else if term.contains("256color") || term.contains("direct") {
        Depth::Ansi256
    } else {
        Depth::Ansi16
    }
}

/// The depth of this process's terminal.
pub fn from_env() -> Depth {
    depth(
        std::env::var("COLORTERM").ok().as_deref(),
        std::env::var("TERM").ok().as_deref(),
    )
}

/// `colour` as the terminal at `depth` can show it; only 24-bit colours change.
pub fn fit(colour: Color, depth: Depth) -> Color {
    let Color::Rgb(r, g, b) = colour else {
        return colour;
    };
    match depth {
        Depth::TrueColour => colour,
        Depth::Ansi256 => Color::Indexed(xterm256(r, g, b)),
        Depth::Ansi16 => ansi16(r, g, b),
    }
}

/// The nearest of the palette's 6x6x6 cube and its 24 greys.
fn xterm256(r: u8, g: u8, b: u8) -> u8 {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let step = |v: u8| -> usize {
        (0..6)
            .min_by_key(|&i| (STEPS[i] as i32 - v as i32).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (step(r), step(g), step(b));
    let cube = (STEPS[ri], STEPS[gi], STEPS[bi]);
    let grey_level = ((r as u32 + g as u32 + b as u32) / 3) as i32;
    let grey_index = ((grey_level - 8).max(0) / 10).min(23);
    let grey = (8 + grey_index * 10) as u8;
    if distance((r, g, b), (grey, grey, grey)) < distance((r, g, b), cube) {
        232 + grey_index as u8
    } else {
        16 + (36 * ri + 6 * gi + bi) as u8
    }
}

/// The nearest of the 16 ANSI colours, by their usual xterm values.
fn ansi16(r: u8, g: u8, b: u8) -> Color {
    const TABLE: [(Color, (u8, u8, u8)); 16] = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 0, 0)),
        (Color::Green, (0, 205, 0)),
        (Color::Yellow, (205, 205, 0)),
        (Color::Blue, (0, 0, 238)),
        (Color::Magenta, (205, 0, 205)),
        (Color::Cyan, (0, 205, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (127, 127, 127)),
        (Color::LightRed, (255, 0, 0)),
        (Color::LightGreen, (0, 255, 0)),
        (Color::LightYellow, (255, 255, 0)),
        (Color::LightBlue, (92, 92, 255)),
        (Color::LightMagenta, (255, 0, 255)),
        (Color::LightCyan, (0, 255, 255)),
        (Color::White, (255, 255, 255)),
    ];
    TABLE
        .iter()
        .min_by_key(|(_, rgb)| distance((r, g, b), *rgb))
        .map_or(Color::Reset, |(c, _)| *c)
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (x as i32 - y as i32).pow(2) as u32;
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_depth_comes_from_colorterm_then_term() {
        assert_eq!(depth(Some("truecolor"), Some("xterm")), Depth::TrueColour);
        assert_eq!(depth(Some("24bit"), None), Depth::TrueColour);
        assert_eq!(depth(None, Some("tmux-256color")), Depth::Ansi256);
        assert_eq!(depth(None, Some("xterm")), Depth::Ansi16);
        assert_eq!(depth(None, None), Depth::Ansi16);
    }

    #[test]
    fn colours_come_down_to_the_nearest_in_the_palette() {
        // Exact cube and grey entries map to themselves.
        assert_eq!(xterm256(255, 0, 0), 196);
        assert_eq!(xterm256(0, 0, 0), 16);
        assert_eq!(xterm256(128, 128, 128), 244);
        assert_eq!(
            fit(Color::Rgb(95, 135, 175), Depth::Ansi256),
            Color::Indexed(67)
        );
        assert_eq!(fit(Color::Rgb(250, 10, 10), Depth::Ansi16), Color::LightRed);
        assert_eq!(fit(Color::Rgb(10, 10, 10), Depth::Ansi16), Color::Black);
        // Named colours and the true-colour depth are left as they are.
        assert_eq!(fit(Color::Yellow, Depth::Ansi16), Color::Yellow);
        assert_eq!(
            fit(Color::Rgb(1, 2, 3), Depth::TrueColour),
            Color::Rgb(1, 2, 3)
        );
    }

    #[test]
    fn a_built_in_theme_sends_no_24_bit_colour_to_a_256_or_16_colour_terminal() {
        use crate::tui::theme::{Role, Theme};
        for depth in [Depth::Ansi256, Depth::Ansi16] {
            let theme = Theme::builtin_default().for_depth(depth);
            for role in Role::ALL {
                let colour = theme.color(role);
                assert!(
                    !matches!(colour, Color::Rgb(..)),
                    "{role:?} {colour:?} at {depth:?}"
                );
            }
        }
    }
}
