//! Actions: what a key means, named once. Keys map to actions in the keymap, and the help
//! overlay is generated from this list, so a new action documents itself.

/// Where an action's keys apply: everywhere, or only on one tab (where they win over the
/// global keys, so tabs can reuse letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Request,
    Jwt,
    Audit,
    Keys,
    Tasks,
    Learn,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Request => "Request tab",
            Context::Jwt => "JWT tab",
            Context::Audit => "Audit tab",
            Context::Keys => "Keys tab",
            Context::Tasks => "Tasks tab",
            Context::Learn => "Learn tab",
        }
    }
}

/// Everything a user can ask for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTab(usize),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Select,
    Back,
    CancelTask,
    Copy,
    Edit,
    PasteClipboard,
    JwtVerify,
    JwtCrack,
    JwtForge,
    JwtEditClaims,
    JwtProbe,
    JwtToRequest,
    AuditRun,
    AuditBatch,
    AuditToggleTls,
    RequestSend,
    RequestAddRow,
    RequestDeleteRow,
    RequestToggleRow,
    RequestMethod,
    RequestEnv,
    RequestPrevView,
    RequestNextView,
    RequestWrap,
    RequestInspectToken,
    RequestAuditUrl,
    RequestReload,
    RequestSearch,
    RequestSearchNext,
    RequestSearchPrev,
    RequestFilter,
    RequestBodyMode,
    RequestSaveBody,
    RequestAuthKind,
    RequestBodyKind,
    RequestSave,
    KeysOpen,
    KeysNew,
    KeysLock,
    KeysGenerate,
    KeysRotate,
    KeysPromote,
    KeysRetire,
    KeysRevoke,
    KeysCopyJwks,
    KeysSignTest,
    KeysApiView,
    LearnHint,
    LearnCheck,
    LearnTour,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub const ALL: [Action; 68] = [
        Action::Help,
        Action::Quit,
        Action::NextTab,
        Action::PrevTab,
        Action::GoTab(0),
        Action::GoTab(1),
        Action::GoTab(2),
        Action::GoTab(3),
        Action::GoTab(4),
        Action::GoTab(5),
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::Select,
        Action::Back,
        Action::Copy,
        Action::Edit,
        Action::PasteClipboard,
        Action::JwtVerify,
        Action::JwtCrack,
        Action::JwtForge,
        Action::JwtEditClaims,
        Action::JwtProbe,
        Action::JwtToRequest,
        Action::AuditRun,
        Action::AuditBatch,
        Action::AuditToggleTls,
        Action::RequestSend,
        Action::RequestAddRow,
        Action::RequestDeleteRow,
        Action::RequestToggleRow,
        Action::RequestMethod,
        Action::RequestEnv,
        Action::RequestPrevView,
        Action::RequestNextView,
        Action::RequestWrap,
        Action::RequestInspectToken,
        Action::RequestAuditUrl,
        Action::RequestReload,
        Action::RequestSearch,
        Action::RequestSearchNext,
        Action::RequestSearchPrev,
        Action::RequestFilter,
        Action::RequestBodyMode,
        Action::RequestSaveBody,
        Action::RequestAuthKind,
        Action::RequestBodyKind,
        Action::RequestSave,
        Action::KeysOpen,
        Action::KeysNew,
        Action::KeysLock,
        Action::KeysGenerate,
        Action::KeysRotate,
        Action::KeysPromote,
        Action::KeysRetire,
        Action::KeysRevoke,
        Action::KeysCopyJwks,
        Action::KeysSignTest,
        Action::KeysApiView,
        Action::LearnHint,
        Action::LearnCheck,
        Action::LearnTour,
        Action::CancelTask,
    ];

    /// Where the action's keys apply.
    pub fn context(self) -> Context {
        match self {
            Action::CancelTask => Context::Tasks,
            Action::JwtVerify
            | Action::JwtCrack
            | Action::JwtForge
            | Action::JwtEditClaims
            | Action::JwtProbe
            | Action::JwtToRequest => Context::Jwt,
            Action::AuditRun | Action::AuditBatch | Action::AuditToggleTls => Context::Audit,
            Action::RequestSend
            | Action::RequestAddRow
            | Action::RequestDeleteRow
            | Action::RequestToggleRow
            | Action::RequestMethod
            | Action::RequestEnv
            | Action::RequestPrevView
            | Action::RequestNextView
            | Action::RequestWrap
            | Action::RequestInspectToken
            | Action::RequestAuditUrl
            | Action::RequestReload
            | Action::RequestSearch
            | Action::RequestSearchNext
            | Action::RequestSearchPrev
            | Action::RequestFilter
            | Action::RequestBodyMode
            | Action::RequestSaveBody
            | Action::RequestAuthKind
            | Action::RequestBodyKind
            | Action::RequestSave => Context::Request,
            Action::KeysOpen
            | Action::KeysNew
            | Action::KeysLock
            | Action::KeysGenerate
            | Action::KeysRotate
            | Action::KeysPromote
            | Action::KeysRetire
            | Action::KeysRevoke
            | Action::KeysCopyJwks
            | Action::KeysSignTest
            | Action::KeysApiView => Context::Keys,
            Action::LearnHint | Action::LearnCheck | Action::LearnTour => Context::Learn,
            _ => Context::Global,
        }
    }

    /// The name used in `config.toml`'s `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::NextTab => "next_tab",
            Action::PrevTab => "prev_tab",
            Action::GoTab(0) => "tab_1",
            Action::GoTab(1) => "tab_2",
            Action::GoTab(2) => "tab_3",
            Action::GoTab(3) => "tab_4",
            Action::GoTab(4) => "tab_5",
            Action::GoTab(_) => "tab_6",
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "left",
            Action::Right => "right",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Select => "select",
            Action::Back => "back",
            Action::CancelTask => "cancel_task",
            Action::Copy => "copy",
            Action::Edit => "edit",
            Action::PasteClipboard => "paste_clipboard",
            Action::JwtVerify => "jwt_verify",
            Action::JwtCrack => "jwt_crack",
            Action::JwtForge => "jwt_forge",
            Action::JwtEditClaims => "jwt_edit_claims",
            Action::JwtProbe => "jwt_probe",
            Action::JwtToRequest => "jwt_to_request",
            Action::AuditRun => "audit_run",
            Action::AuditBatch => "audit_batch",
            Action::AuditToggleTls => "audit_toggle_tls",
            Action::RequestSend => "request_send",
            Action::RequestAddRow => "request_add_row",
            Action::RequestDeleteRow => "request_delete_row",
            Action::RequestToggleRow => "request_toggle_row",
            Action::RequestMethod => "request_method",
            Action::RequestEnv => "request_env",
            Action::RequestPrevView => "request_prev_view",
            Action::RequestNextView => "request_next_view",
            Action::RequestWrap => "request_wrap",
            Action::RequestInspectToken => "request_inspect_token",
            Action::RequestAuditUrl => "request_audit_url",
            Action::RequestReload => "request_reload",
            Action::RequestSearch => "request_search",
            Action::RequestSearchNext => "request_search_next",
            Action::RequestSearchPrev => "request_search_prev",
            Action::RequestFilter => "request_filter",
            Action::RequestBodyMode => "request_body_mode",
            Action::RequestSaveBody => "request_save_body",
            Action::RequestAuthKind => "request_auth_kind",
            Action::RequestBodyKind => "request_body_kind",
            Action::RequestSave => "request_save",
            Action::KeysOpen => "keys_open",
            Action::KeysNew => "keys_new",
            Action::KeysLock => "keys_lock",
            Action::KeysGenerate => "keys_generate",
            Action::KeysRotate => "keys_rotate",
            Action::KeysPromote => "keys_promote",
            Action::KeysRetire => "keys_retire",
            Action::KeysRevoke => "keys_revoke",
            Action::KeysCopyJwks => "keys_copy_jwks",
            Action::KeysSignTest => "keys_sign_test",
            Action::KeysApiView => "keys_api_view",
            Action::LearnHint => "learn_hint",
            Action::LearnCheck => "learn_check",
            Action::LearnTour => "learn_tour",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// One line for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "Quit apiward",
            Action::Help => "Show or hide this help",
            Action::NextTab => "Next tab",
            Action::PrevTab => "Previous tab",
            Action::GoTab(0) => "Request tab",
            Action::GoTab(1) => "JWT tab",
            Action::GoTab(2) => "Audit tab",
            Action::GoTab(3) => "Keys tab",
            Action::GoTab(4) => "Tasks tab",
            Action::GoTab(_) => "Learn tab",
            Action::Up => "Move up / scroll up",
            Action::Down => "Move down / scroll down",
            Action::Left => "Move left",
            Action::Right => "Move right",
            Action::PageUp => "Page up",
            Action::PageDown => "Page down",
            Action::Top => "Go to the top",
            Action::Bottom => "Go to the bottom",
            Action::Select => "Open or confirm the selection",
            Action::Back => "Close, go back or cancel",
            Action::CancelTask => "Cancel the selected task",
            Action::Copy => "Copy the selection to the clipboard",
            Action::Edit => "Edit the focused field (enter saves, esc cancels)",
            Action::PasteClipboard => "Paste from the system clipboard",
            Action::JwtVerify => "Verify with a secret, PEM key, JWK or JWKS",
            Action::JwtCrack => "Crack the HMAC secret (runs as a task)",
            Action::JwtForge => "Forge attack variants of the token",
            Action::JwtEditClaims => "Edit claims (k=v …) and re-sign",
            Action::JwtProbe => "Probe an endpoint with every forged variant",
            Action::JwtToRequest => "Use this token as the Request tab's bearer token",
            Action::AuditRun => "Audit the URL again (runs as a task)",
            Action::AuditBatch => "Audit every URL in a targets file",
            Action::AuditToggleTls => "Toggle certificate verification for the headers",
            Action::RequestSend => "Send the request (runs as a task; esc cancels)",
            Action::RequestAddRow => "Add a query or header row",
            Action::RequestDeleteRow => "Delete the focused row",
            Action::RequestToggleRow => "Enable or disable the focused row",
            Action::RequestMethod => "Next method (GET, POST, PUT …)",
            Action::RequestEnv => "Next environment",
            Action::RequestPrevView => "Previous response view",
            Action::RequestNextView => "Next response view (body, headers … findings)",
            Action::RequestWrap => "Wrap long body lines or not",
            Action::RequestInspectToken => {
                "Inspect the bearer token (or one in the body) in the JWT tab"
            }
            Action::RequestAuditUrl => "Audit this URL in the Audit tab",
            Action::RequestReload => "Reload the workspace's requests and history",
            Action::RequestSearch => "Search the response body (esc clears the search)",
            Action::RequestSearchNext => "Next search match",
            Action::RequestSearchPrev => "Previous search match",
            Action::RequestFilter => "Filter a JSON body with jq (esc clears it)",
            Action::RequestBodyMode => "Show the body pretty, raw or as hex",
            Action::RequestSaveBody => "Save the body (or the filter's result) to a file",
            Action::RequestAuthKind => "Next auth kind: basic, bearer, API key, JWT",
            Action::RequestBodyKind => "Next body kind: JSON, raw, form, multipart, file",
            Action::RequestSave => "Save the request to the workspace, by name",
            Action::KeysOpen => "Open the keyring (asks for the passphrase)",
            Action::KeysNew => "Create a keyring; in the API-keys view, issue an API key",
            Action::KeysLock => "Close the keyring and forget the passphrase",
            Action::KeysGenerate => "Generate a signing key as the next key (runs as a task)",
            Action::KeysRotate => "Rotate: perform the plan's steps that are due and safe",
            Action::KeysPromote => "Promote the selected next key to active",
            Action::KeysRetire => "Retire the selected key",
            Action::KeysRevoke => "Revoke the selected key (or API key), with a reason",
            Action::KeysCopyJwks => "Copy the public JWKS",
            Action::KeysSignTest => "Sign a test token with the active key, open it in JWT",
            Action::KeysApiView => "Show the signing keys or the API keys",
            Action::LearnHint => "Reveal the selected lesson's next hint",
            Action::LearnCheck => "Check the lessons again (the lab's record and your runs)",
            Action::LearnTour => "Show the welcome screen and its tour again",
        }
    }

    /// The default keys, in the syntax `config.toml` uses.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["q", "ctrl-c"],
            Action::Help => &["?", "f1"],
            Action::NextTab => &["tab", "]"],
            Action::PrevTab => &["backtab", "["],
            Action::GoTab(0) => &["1"],
            Action::GoTab(1) => &["2"],
            Action::GoTab(2) => &["3"],
            Action::GoTab(3) => &["4"],
            Action::GoTab(4) => &["5"],
            Action::GoTab(_) => &["6"],
            Action::Up => &["up", "k"],
            Action::Down => &["down", "j"],
            Action::Left => &["left", "h"],
            Action::Right => &["right", "l"],
            Action::PageUp => &["pageup", "ctrl-u"],
            Action::PageDown => &["pagedown", "ctrl-d"],
            Action::Top => &["home", "g"],
            Action::Bottom => &["end", "G"],
            Action::Select => &["enter"],
            Action::Back => &["esc"],
            Action::CancelTask => &["x"],
            Action::Copy => &["y"],
            Action::Edit => &["e", "i"],
            Action::PasteClipboard => &["p"],
            Action::JwtVerify => &["v"],
            Action::JwtCrack => &["c"],
            Action::JwtForge => &["f"],
            Action::JwtEditClaims => &["E"],
            Action::JwtProbe => &["P"],
            Action::JwtToRequest => &["S"],
            Action::AuditRun => &["r"],
            Action::AuditBatch => &["b"],
            Action::AuditToggleTls => &["t"],
            Action::RequestSend => &["ctrl-s"],
            Action::RequestAddRow => &["a"],
            Action::RequestDeleteRow => &["d"],
            Action::RequestToggleRow => &["space"],
            Action::RequestMethod => &["m"],
            Action::RequestEnv => &["v"],
            Action::RequestPrevView => &["<"],
            Action::RequestNextView => &[">"],
            Action::RequestWrap => &["w"],
            Action::RequestInspectToken => &["J"],
            Action::RequestAuditUrl => &["A"],
            Action::RequestReload => &["r"],
            Action::RequestSearch => &["/"],
            Action::RequestSearchNext => &["n"],
            Action::RequestSearchPrev => &["N"],
            Action::RequestFilter => &["f"],
            Action::RequestBodyMode => &["b"],
            Action::RequestSaveBody => &["s"],
            Action::RequestAuthKind => &["c"],
            Action::RequestBodyKind => &["B"],
            Action::RequestSave => &["S"],
            Action::KeysOpen => &["o"],
            Action::KeysNew => &["n"],
            Action::KeysLock => &["L"],
            Action::KeysGenerate => &["g"],
            Action::KeysRotate => &["R"],
            Action::KeysPromote => &["+"],
            Action::KeysRetire => &["-"],
            Action::KeysRevoke => &["X"],
            Action::KeysCopyJwks => &["J"],
            Action::KeysSignTest => &["s"],
            Action::KeysApiView => &["a"],
            Action::LearnHint => &["H"],
            Action::LearnCheck => &["r"],
            Action::LearnTour => &["w"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
