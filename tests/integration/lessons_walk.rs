//! Lessons tested like code: each lesson's shell walk-through (`Lesson::cli`, the same data
//! `apiward learn show` prints) is run literally against a fresh `apiward lab` whose folder is
//! more than twelve levels deep, and `apiward learn check N` must go from 1 (not yet) to 0.
//! A lesson whose text drifts from the product (a renamed flag, a moved route) fails here.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use apiward::lab::LabUrls;
use apiward::learn::{self, LESSONS, Lesson, Track};

use crate::lab_support::apiward;

/// A learner's machine: data and config folders of its own, deep down, and `apiward lab`
/// running from the default lab folder there.
struct Learner {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
    lab: Child,
    urls: LabUrls,
}

impl Learner {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let deep: PathBuf = (1..=12).fold(tmp.path().to_path_buf(), |p, n| p.join(format!("d{n}")));
        let (data, config) = (deep.join("data"), deep.join("config"));
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&config).unwrap();
        let lab = Command::new(assert_cmd::cargo::cargo_bin("apiward"))
            .arg("lab")
            .env("XDG_DATA_HOME", &data)
            .env("XDG_CONFIG_HOME", &config)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let root = data.join("apiward").join("lab");
        let start = Instant::now();
        let urls = loop {
            if let Some(urls) = LabUrls::current(&root) {
                break urls;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the lab did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        Self {
            _tmp: tmp,
            data,
            config,
            lab,
            urls,
        }
    }

    /// apiward as the learner runs it: at a terminal, so nothing comes on standard input
    /// (a pipe there would be a body to `send`, as in HTTPie; /dev/null is not).
    fn apiward(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("apiward"));
        cmd.env("NO_COLOR", "1")
            .env("XDG_DATA_HOME", &self.data)
            .env("XDG_CONFIG_HOME", &self.config)
            .current_dir(&self.data)
            .stdin(Stdio::null());
        cmd
    }

    /// `apiward learn check N`'s exit code.
    fn check(&self, n: usize) -> i32 {
        let out = self
            .apiward()
            .args(["learn", "check", &n.to_string()])
            .output()
            .unwrap();
        out.status.code().unwrap_or(-1)
    }

    /// Runs a lesson's commands as written, after the lab's addresses and the NAMEs kept so
    /// far are put in; returns what each printed, for the failure message.
    fn walk(&self, n: usize, lesson: &Lesson) -> String {
        let mut kept: BTreeMap<&str, String> = BTreeMap::new();
        let mut transcript = String::new();
        for step in lesson.cli {
            let mut line = learn::fill(step.run, Some(&self.urls));
            // Longest names first: TOKEN1 before TOKEN.
            let mut names: Vec<_> = kept.iter().collect();
            names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
            for (name, value) in names {
                line = line.replace(name, value);
            }
            let words =
                shlex::split(&line).unwrap_or_else(|| panic!("lesson {n}: cannot split {line}"));
            let out = match words[0].as_str() {
                "apiward" => self.apiward().args(&words[1..]).output().unwrap(),
                // A file to save (lesson 15's public key), in the folder apiward runs in.
                "curl" => Command::new("curl")
                    .args(&words[1..])
                    .current_dir(&self.data)
                    .output()
                    .unwrap(),
                other => panic!("lesson {n}: {other} is neither apiward nor curl: {line}"),
            };
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr);
            transcript.push_str(&format!("$ {line}\n{stdout}{stderr}\n"));
            // 2 is bad input: the lesson tells the learner something the product refuses.
            let code = out.status.code();
            assert!(
                code.is_some_and(|c| c != 2),
                "lesson {n}: `{line}` exited {code:?}:\n{transcript}"
            );
            if let Some((name, field)) = step.keep {
                let value = answer_field(&stdout, field)
                    .unwrap_or_else(|| panic!("lesson {n}: no {field} in:\n{transcript}"));
                kept.insert(name, value);
            }
        }
        transcript
    }
}

impl Drop for Learner {
    fn drop(&mut self) {
        let _ = self.lab.kill();
        let _ = self.lab.wait();
    }
}

/// A string field of the JSON body `apiward send` printed after the response's headers.
fn answer_field(stdout: &str, field: &str) -> Option<String> {
    let body = stdout.split_once("\n\n").map_or(stdout, |(_, b)| b);
    let json: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    json.get(field)?.as_str().map(str::to_string)
}

/// Whether curl runs here; lessons that save a file with it need it.
fn has_curl() -> bool {
    Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Walks each lesson `pick` chooses, each on a fresh lab, and checks it ticks off. A lesson
/// whose steps need curl is counted as walked only when curl is there (and said so when not).
fn walk_lessons(pick: impl Fn(&Lesson) -> bool) -> usize {
    let mut walked = 0;
    for (i, lesson) in LESSONS.iter().enumerate() {
        if lesson.cli.is_empty() || !pick(lesson) {
            continue;
        }
        let n = i + 1;
        if lesson.cli.iter().any(|s| s.run.starts_with("curl ")) && !has_curl() {
            eprintln!(
                "SKIPPED lesson {n}'s walk: its steps save a file with curl, which is not installed"
            );
            walked += 1;
            continue;
        }
        let learner = Learner::new();
        assert_eq!(learner.check(n), 1, "lesson {n} is done before it starts");
        let transcript = learner.walk(n, lesson);
        assert_eq!(
            learner.check(n),
            0,
            "lesson {n} ({}) is not done after its own steps:\n{transcript}",
            lesson.id
        );
        walked += 1;
    }
    walked
}

#[test]
fn the_owasp_lessons_tick_off_by_their_own_steps() {
    let walked = walk_lessons(|l| l.track == Track::OwaspTop10);
    assert_eq!(walked, 10, "every OWASP lesson has shell steps");
}

#[test]
fn the_practice_and_jwt_lessons_with_shell_steps_tick_off_by_them() {
    let walked = walk_lessons(|l| l.track != Track::OwaspTop10 && l.id != "jwt-hidden-key");
    // Every one but lesson 17, walked on its own below.
    assert_eq!(walked, 16);
}

#[test]
fn the_no_exposed_key_lesson_ticks_off_by_its_own_steps() {
    // Its steps use `jwt recover-key` and `probe --recover-from`; say so when they are not
    // in this build rather than pass in silence.
    let help = |args: &[&str]| {
        let out = apiward().args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    if !help(&["jwt", "--help"]).contains("recover-key")
        || !help(&["jwt", "probe", "--help"]).contains("--recover-from")
    {
        eprintln!(
            "SKIPPED the no-exposed-key lesson walk: this build has no `jwt recover-key` or `jwt probe --recover-from` yet"
        );
        return;
    }
    let walked = walk_lessons(|l| l.id == "jwt-hidden-key");
    assert_eq!(walked, 1);
}

#[test]
fn the_lessons_make_three_groups_and_twenty_seven_in_all() {
    assert_eq!(LESSONS.len(), 27);
    let count = |t: Track| LESSONS.iter().filter(|l| l.track == t).count();
    assert_eq!(
        (
            count(Track::Practice),
            count(Track::JwtAttack),
            count(Track::OwaspTop10)
        ),
        (8, 9, 10)
    );
    let data = tempfile::tempdir().unwrap();
    let out = apiward()
        .args(["learn", "list"])
        .env("XDG_DATA_HOME", data.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in ["Practices", "JWT attacks", "OWASP API Top 10"] {
        assert!(text.contains(heading), "{heading}:\n{text}");
    }
}
