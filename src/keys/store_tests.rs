use super::*;
use crate::keys::{KeyEntry, Policy};

const NOW: i64 = 1_700_000_000;

fn sample() -> Keyring {
    let mut ring = Keyring::new(Policy::default());
    ring.add(KeyEntry::generate("ES256", 2048, None, NOW).unwrap())
        .unwrap();
    ring.add(KeyEntry::generate("HS256", 2048, None, NOW).unwrap())
        .unwrap();
    ring
}

fn file(dir: &Path, pass: &str) -> KeyringFile {
    KeyringFile::new(keyring_path(dir), pass).unwrap()
}

#[test]
fn opens_with_the_right_passphrase_only() {
    let dir = tempfile::tempdir().unwrap();
    let ring = sample();
    file(dir.path(), "correct horse").create(&ring).unwrap();
    let back = file(dir.path(), "correct horse").open().unwrap();
    assert_eq!(back.keys.len(), 2);
    assert_eq!(back.keys[0].private_pem(), ring.keys[0].private_pem());
    let before = std::fs::read(keyring_path(dir.path())).unwrap();
    let err = file(dir.path(), "battery staple").open().unwrap_err();
    assert!(matches!(err, KeysError::WrongPassphrase(_)), "{err}");
    assert_eq!(std::fs::read(keyring_path(dir.path())).unwrap(), before);
    assert!(matches!(
        file(dir.path(), "x").create(&ring),
        Err(KeysError::Exists(_))
    ));
    assert!(KeyringFile::new(keyring_path(dir.path()), "").is_err());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keyring_path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn corrupt_and_foreign_files_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(dir.path(), "pw");
    f.create(&sample()).unwrap();
    let good = std::fs::read(&f.path).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x55;
    let foreign_age = {
        let r = age::scrypt::Recipient::new(SecretString::from("pw".to_string()));
        age::encrypt(&r, b"{\"hello\": 1}").unwrap()
    };
    for bad in [flipped, b"not a keyring".to_vec(), Vec::new(), foreign_age] {
        std::fs::write(&f.path, &bad).unwrap();
        let err = f.open().unwrap_err();
        assert!(
            matches!(err, KeysError::Corrupt(..) | KeysError::WrongPassphrase(_)),
            "{err}"
        );
        assert!(err.to_string().contains("left as it is"), "{err}");
        assert_eq!(std::fs::read(&f.path).unwrap(), bad, "unchanged");
    }
    let missing = file(&dir.path().join("nope"), "pw").open().unwrap_err();
    assert!(matches!(missing, KeysError::NoKeyring(_)));
}

#[test]
fn a_write_interrupted_before_the_rename_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyring.age");
    crate::fs::write_atomic(&path, b"old", crate::fs::Perm::Private).unwrap();
    let err = crate::fs::write_atomic_with(&path, b"new", crate::fs::Perm::Private, |tmp| {
        assert_eq!(
            std::fs::read(tmp).unwrap(),
            b"new",
            "the temp file is complete"
        );
        Err(std::io::Error::other("power cut"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "power cut");
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "the temp file is cleaned up");
}

#[test]
fn no_key_material_reaches_the_disk_in_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let ring = sample();
    let f = file(dir.path(), "pw");
    f.create(&ring).unwrap();
    f.save(&ring).unwrap();
    let pem = ring.keys[0].private_pem().unwrap();
    let body: String = pem.lines().nth(1).unwrap().to_string();
    let secret = ring.keys[1].hmac_secret_b64().unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&body) && !text.contains(secret));
        assert!(!text.contains("PRIVATE KEY") && !text.contains(&ring.keys[0].kid));
    }
}

#[test]
fn concurrent_updates_lose_no_key() {
    let dir = tempfile::tempdir().unwrap();
    file(dir.path(), "pw")
        .create(&Keyring::new(Policy::default()))
        .unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let key = KeyEntry::generate("HS256", 2048, None, NOW).unwrap();
                file(&dir, "pw")
                    .update(|ring| ring.add(key.clone()).map(|_| key.kid))
                    .unwrap()
            })
        })
        .collect();
    let kids: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ring = file(dir.path(), "pw").open().unwrap();
    for kid in kids {
        assert!(ring.keys.iter().any(|k| k.kid == kid), "{kid} was lost");
    }
}

#[test]
fn a_save_over_another_processes_change_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tui = file(dir.path(), "pw");
    tui.create(&sample()).unwrap();
    let held = tui.open().unwrap();
    let key = KeyEntry::generate("HS256", 2048, None, NOW).unwrap();
    file(dir.path(), "pw").update(|r| r.add(key)).unwrap();
    let before = std::fs::read(&tui.path).unwrap();
    let err = tui.save(&held).unwrap_err();
    assert!(matches!(err, KeysError::ChangedOnDisk(_)), "{err}");
    assert_eq!(std::fs::read(&tui.path).unwrap(), before, "left as it is");
    // Reopened, the handle saves again.
    let fresh = tui.open().unwrap();
    assert_eq!(fresh.keys.len(), 3);
    tui.save(&fresh).unwrap();
}

#[test]
fn a_hostile_work_factor_is_refused_before_deriving() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(dir.path(), "pw");
    f.create(&sample()).unwrap();
    let bytes = std::fs::read(&f.path).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let line = text.lines().find(|l| l.starts_with("-> scrypt ")).unwrap();
    let hostile = line.replace(&format!(" {WORK_FACTOR}"), " 22");
    let forged = text.replacen(line, &hostile, 1);
    std::fs::write(&f.path, forged.as_bytes()).unwrap();
    let err = f.open().unwrap_err().to_string();
    assert!(
        err.contains("2^22") && err.contains("left as it is"),
        "{err}"
    );
}
