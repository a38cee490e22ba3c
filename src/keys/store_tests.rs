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
    write_atomic(&path, b"old", 0o600).unwrap();
    let err = write_atomic_with(&path, b"new", 0o600, |tmp| {
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

/// Prints what opening and saving a 100-key keyring costs (run with --nocapture); asserts
/// nothing about time, as tests never do.
#[test]
fn keyring_open_and_save_timing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ring = Keyring::new(Policy::default());
    for i in 0..100 {
        let alg = if i % 2 == 0 { "ES256" } else { "EdDSA" };
        ring.add(KeyEntry::generate(alg, 2048, None, NOW).unwrap())
            .unwrap();
    }
    let f = file(dir.path(), "pw");
    f.create(&ring).unwrap();
    let start = std::time::Instant::now();
    let back = f.open().unwrap();
    f.save(&back).unwrap();
    println!(
        "open + save of a 100-key keyring at scrypt log_n {WORK_FACTOR}: {:?}",
        start.elapsed()
    );
    assert_eq!(back.keys.len(), 100);
}
