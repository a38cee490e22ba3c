//! apiward's integration tests, gathered in one test binary so they link once.

mod harness;

mod audit;
mod audit_cli;
mod audit_support;
mod cli_basics;
mod cors_mistakes;
mod curl_oracle;
mod dotfile_corpus;
mod fuzz;
mod harness_selftest;
mod history_cli;
mod hostile;
mod http_cli;
mod http_send;
mod httpie_oracle;
mod jwt_cli;
mod jwt_interop;
mod keys_algs;
mod keys_apikey;
mod keys_cli;
mod lab_api;
mod lab_cli;
mod lab_jwt;
mod lab_support;
mod labs_at_once;
mod learn_cli;
mod loose_ends;
mod proxies;
mod themes;
mod tls_scenarios;
mod trust;
mod tui_learn;
mod tui_shell;
mod tui_sizes;
mod wire_headers;
