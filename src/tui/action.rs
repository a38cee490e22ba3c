//! Actions: what a key means, named once. Keys map to actions in the keymap, and the help
//! overlay is generated from this list, so a new action documents itself.
//!
//! Adding an action is one variant of [`Action`] and one arm of [`Action::info`] (its config
//! name, tab, default keys and help line); the compiler asks for the arm, and strum's
//! `EnumIter` lists the variants, in the order the help overlay shows them.

use strum::{EnumIter, IntoEnumIterator};

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
    Matrix,
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
            Context::Matrix => "Matrix tab",
        }
    }
}

/// Everything a user can ask for with a key, in the order the help overlay lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter)]
pub enum Action {
    Help,
    Quit,
    Palette,
    MessageLog,
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
    Copy,
    Edit,
    PasteClipboard,
    JwtVerify,
    JwtCrack,
    JwtForge,
    JwtEditClaims,
    JwtProbe,
    JwtToRequest,
    JwtRecover,
    JwtSaveKey,
    AuditRun,
    AuditBatch,
    AuditToggleTls,
    AuditOptions,
    AuditSpecLint,
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
    RequestNew,
    RequestDuplicate,
    RequestRename,
    RequestDelete,
    RequestMove,
    RequestAlternate,
    Import,
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
    MatrixRun,
    MatrixUnsafe,
    CancelTask,
    ClearTasks,
}

/// How many tabs `GoTab` reaches: one number key per tab.
const GO_TABS: usize = 7;

/// What the keymap, the config and the help overlay know about an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo {
    /// Where the action's keys apply.
    pub context: Context,
    /// The name used in `config.toml`'s `[keys]` table.
    pub name: &'static str,
    /// The default keys, in the syntax `config.toml` uses.
    pub keys: &'static [&'static str],
    /// One line for the help overlay.
    pub description: &'static str,
}

const fn info(
    context: Context,
    name: &'static str,
    keys: &'static [&'static str],
    description: &'static str,
) -> ActionInfo {
    ActionInfo {
        context,
        name,
        keys,
        description,
    }
}

impl Action {
    /// Every action, in the order the help overlay lists them, one `GoTab` per tab.
    pub fn all() -> impl Iterator<Item = Action> {
        Action::iter().flat_map(|action| {
            let more_tabs = if action == Action::GoTab(0) {
                1..GO_TABS
            } else {
                0..0
            };
            std::iter::once(action).chain(more_tabs.map(Action::GoTab))
        })
    }

    /// The one table of actions: each action's context, config name, default keys and help
    /// line together.
    // One action a line and its help text under it, as a table reads; rustfmt would spread
    // the longer ones over five lines.
    #[rustfmt::skip]
    pub fn info(self) -> ActionInfo {
        use Context::*;
        match self {
            Action::Help => info(Global, "help", &["?", "f1"],
                "Show or hide this help"),
            Action::Quit => info(Global, "quit", &["q", "ctrl-c"],
                "Quit apiward"),
            Action::Palette => info(Global, "palette", &["ctrl-p", ":"],
                "Command palette: find any action by name and run it"),
            Action::MessageLog => info(Global, "message_log", &["M"],
                "Every message of this session, in full"),
            Action::NextTab => info(Global, "next_tab", &["tab", "]"],
                "Next tab"),
            Action::PrevTab => info(Global, "prev_tab", &["backtab", "["],
                "Previous tab"),
            Action::GoTab(0) => info(Global, "tab_1", &["1"],
                "Request tab"),
            Action::GoTab(1) => info(Global, "tab_2", &["2"],
                "JWT tab"),
            Action::GoTab(2) => info(Global, "tab_3", &["3"],
                "Audit tab"),
            Action::GoTab(3) => info(Global, "tab_4", &["4"],
                "Keys tab"),
            Action::GoTab(4) => info(Global, "tab_5", &["5"],
                "Tasks tab"),
            Action::GoTab(5) => info(Global, "tab_6", &["6"],
                "Learn tab"),
            Action::GoTab(_) => info(Global, "tab_7", &["7"],
                "Matrix tab"),
            Action::Up => info(Global, "up", &["up", "k"],
                "Move up / scroll up"),
            Action::Down => info(Global, "down", &["down", "j"],
                "Move down / scroll down"),
            Action::Left => info(Global, "left", &["left", "h"],
                "Move left"),
            Action::Right => info(Global, "right", &["right", "l"],
                "Move right"),
            Action::PageUp => info(Global, "page_up", &["pageup", "ctrl-u"],
                "Page up"),
            Action::PageDown => info(Global, "page_down", &["pagedown", "ctrl-d"],
                "Page down"),
            Action::Top => info(Global, "top", &["home", "g"],
                "Go to the top"),
            Action::Bottom => info(Global, "bottom", &["end", "G"],
                "Go to the bottom"),
            Action::Select => info(Global, "select", &["enter"],
                "Open or confirm the selection"),
            Action::Back => info(Global, "back", &["esc"],
                "Close, go back or cancel"),
            Action::Copy => info(Global, "copy", &["y"],
                "Copy the selection to the clipboard"),
            Action::Edit => info(Global, "edit", &["e", "i"],
                "Edit the focused field (enter saves, esc cancels)"),
            Action::PasteClipboard => info(Global, "paste_clipboard", &["p"],
                "Paste from the system clipboard"),
            Action::JwtVerify => info(Jwt, "jwt_verify", &["v"],
                "Verify with a secret, PEM key, JWK or JWKS"),
            Action::JwtCrack => info(Jwt, "jwt_crack", &["c"],
                "Crack the HMAC secret (runs as a task)"),
            Action::JwtForge => info(Jwt, "jwt_forge", &["f"],
                "Forge attack variants of the token"),
            Action::JwtEditClaims => info(Jwt, "jwt_edit_claims", &["E"],
                "Edit claims (k=v …) and re-sign"),
            Action::JwtProbe => info(Jwt, "jwt_probe", &["P"],
                "Probe an endpoint with every forged variant"),
            Action::JwtToRequest => info(Jwt, "jwt_to_request", &["S"],
                "Use this token as the Request tab's bearer token"),
            Action::JwtRecover => info(Jwt, "jwt_recover", &["r"],
                "Recover the public key from a second token (RS*/ES*; a task)"),
            Action::JwtSaveKey => info(Jwt, "jwt_save_key", &["s"],
                "Save the selected recovered public key to the workspace"),
            Action::AuditRun => info(Audit, "audit_run", &["r"],
                "Audit the URL again (runs as a task)"),
            Action::AuditBatch => info(Audit, "audit_batch", &["b"],
                "Audit every URL in a targets file"),
            Action::AuditToggleTls => info(Audit, "audit_toggle_tls", &["t"],
                "Toggle certificate verification for the headers"),
            Action::AuditOptions => info(Audit, "audit_options", &["o"],
                "Audit options: headers, timeout, CA, certificates (as apiward audit takes them)"),
            Action::AuditSpecLint => info(Audit, "audit_spec_lint", &["L"],
                "Lint an OpenAPI description, file or URL (runs as a task)"),
            Action::RequestSend => info(Request, "request_send", &["ctrl-s"],
                "Send the request (runs as a task; esc cancels)"),
            Action::RequestAddRow => info(Request, "request_add_row", &["a"],
                "Add a query or header row"),
            Action::RequestDeleteRow => info(Request, "request_delete_row", &["d"],
                "Delete the focused row"),
            Action::RequestToggleRow => info(Request, "request_toggle_row", &["space"],
                "Enable or disable the focused row"),
            Action::RequestMethod => info(Request, "request_method", &["m"],
                "Next method (GET, POST, PUT …)"),
            Action::RequestEnv => info(Request, "request_env", &["v"],
                "Next environment"),
            Action::RequestPrevView => info(Request, "request_prev_view", &["<"],
                "Previous response view"),
            Action::RequestNextView => info(Request, "request_next_view", &[">"],
                "Next response view (body, headers … findings)"),
            Action::RequestWrap => info(Request, "request_wrap", &["w"],
                "Wrap long body lines or not"),
            Action::RequestInspectToken => info(Request, "request_inspect_token", &["J"],
                "Inspect the bearer token (or one in the body) in the JWT tab"),
            Action::RequestAuditUrl => info(Request, "request_audit_url", &["A"],
                "Audit this URL in the Audit tab"),
            Action::RequestReload => info(Request, "request_reload", &["r"],
                "Reload the workspace's requests and history"),
            Action::RequestSearch => info(Request, "request_search", &["/"],
                "Search the response body (esc clears the search)"),
            Action::RequestSearchNext => info(Request, "request_search_next", &["n"],
                "Next search match"),
            Action::RequestSearchPrev => info(Request, "request_search_prev", &["N"],
                "Previous search match"),
            Action::RequestFilter => info(Request, "request_filter", &["f"],
                "Filter a JSON body with jq (esc clears it)"),
            Action::RequestBodyMode => info(Request, "request_body_mode", &["b"],
                "Show the body pretty, raw or as hex"),
            Action::RequestSaveBody => info(Request, "request_save_body", &["s"],
                "Save the body (or the filter's result) to a file"),
            Action::RequestAuthKind => info(Request, "request_auth_kind", &["c"],
                "Next auth kind: basic, bearer, API key, JWT"),
            Action::RequestBodyKind => info(Request, "request_body_kind", &["B"],
                "Next body kind: JSON, raw, form, multipart, file"),
            Action::RequestSave => info(Request, "request_save", &["S"],
                "Save the request to the workspace, by name"),
            Action::RequestNew => info(Request, "request_new", &["ctrl-n"],
                "New blank request (asks first when edits are unsaved)"),
            Action::RequestDuplicate => info(Request, "request_duplicate", &["D"],
                "Duplicate the request under a new name (S saves it)"),
            Action::RequestRename => info(Request, "request_rename", &["R"],
                "Rename the saved request in its own file"),
            Action::RequestMove => info(Request, "request_move", &["F"],
                "Move the saved request selected to another .http file (asks for its name)"),
            Action::RequestAlternate => info(Request, "request_alternate", &["`", "ctrl-6"],
                "Back to the request opened before (ctrl-^ in most terminals)"),
            Action::RequestDelete => info(Request, "request_delete", &["X"],
                "Delete the saved request selected in the list (asks first)"),
            Action::Import => info(Request, "import", &["I"],
                "Import an OpenAPI, Postman, HAR or Insomnia file, previewing what it writes"),
            Action::KeysOpen => info(Keys, "keys_open", &["o"],
                "Open the keyring (asks for the passphrase)"),
            Action::KeysNew => info(Keys, "keys_new", &["n"],
                "Create a keyring; in the API-keys view, issue an API key"),
            Action::KeysLock => info(Keys, "keys_lock", &["L"],
                "Close the keyring and forget the passphrase"),
            Action::KeysGenerate => info(Keys, "keys_generate", &["g"],
                "Generate a signing key as the next key (runs as a task)"),
            Action::KeysRotate => info(Keys, "keys_rotate", &["R"],
                "Rotate: perform the plan's steps that are due and safe"),
            Action::KeysPromote => info(Keys, "keys_promote", &["+"],
                "Promote the selected next key to active"),
            Action::KeysRetire => info(Keys, "keys_retire", &["-"],
                "Retire the selected key"),
            Action::KeysRevoke => info(Keys, "keys_revoke", &["X"],
                "Revoke the selected key (or API key), with a reason"),
            Action::KeysCopyJwks => info(Keys, "keys_copy_jwks", &["J"],
                "Copy the public JWKS"),
            Action::KeysSignTest => info(Keys, "keys_sign_test", &["s"],
                "Sign a test token with the active key, open it in JWT"),
            Action::KeysApiView => info(Keys, "keys_api_view", &["a"],
                "Show the signing keys or the API keys"),
            Action::LearnHint => info(Learn, "learn_hint", &["H"],
                "Reveal the selected lesson's next hint"),
            Action::LearnCheck => info(Learn, "learn_check", &["r"],
                "Check the lessons again (the lab's record and your runs)"),
            Action::LearnTour => info(Learn, "learn_tour", &["w"],
                "Show the welcome screen and its tour again"),
            Action::MatrixRun => info(Matrix, "matrix_run", &["r"],
                "Run the matrix: each request as each identity (a task; x on Tasks stops it)"),
            Action::MatrixUnsafe => info(Matrix, "matrix_unsafe", &["u"],
                "Also send methods that may change data (POST, PUT, DELETE …), or not"),
            Action::CancelTask => info(Tasks, "cancel_task", &["x"],
                "Cancel the selected task"),
            Action::ClearTasks => info(Tasks, "clear_tasks", &["C"],
                "Clear the tasks that have ended"),
        }
    }

    /// Where the action's keys apply.
    pub fn context(self) -> Context {
        self.info().context
    }

    /// The name used in `config.toml`'s `[keys]` table.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::all().find(|a| a.name() == name)
    }

    /// One line for the help overlay.
    pub fn description(self) -> &'static str {
        self.info().description
    }

    /// The default keys, in the syntax `config.toml` uses.
    pub fn default_keys(self) -> &'static [&'static str] {
        self.info().keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let all: Vec<Action> = Action::all().collect();
        // Every variant, with the seven tabs spelled out.
        assert_eq!(all.len(), 85);
        for &action in &all {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        let mut names: Vec<_> = all.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn the_help_order_and_contexts_are_the_tables() {
        let all: Vec<Action> = Action::all().collect();
        assert_eq!(&all[..2], &[Action::Help, Action::Quit]);
        assert_eq!(all[6..13], (0..7).map(Action::GoTab).collect::<Vec<_>>());
        assert_eq!(all.last(), Some(&Action::ClearTasks));
        assert_eq!(Action::GoTab(5).name(), "tab_6");
        assert_eq!(Action::GoTab(2).description(), "Audit tab");
        assert_eq!(Action::RequestSave.context(), Context::Request);
        assert_eq!(Action::KeysRevoke.default_keys(), &["X"]);
    }
}
