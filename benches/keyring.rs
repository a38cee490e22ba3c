//! The keyring's cost: opening and saving a 100-key keyring at apiward's scrypt work factor,
//! the figure behind `keys::store::WORK_FACTOR`.
//!
//! `cargo bench --bench keyring`; results are recorded in docs/benchmarks.md.

use criterion::{Criterion, criterion_group, criterion_main};

use apiward::keys::{KeyEntry, Keyring, KeyringFile, Policy, keyring_path};

const NOW: i64 = 1_700_000_000;

fn open_and_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut ring = Keyring::new(Policy::default());
    for i in 0..100 {
        let alg = if i % 2 == 0 { "ES256" } else { "EdDSA" };
        ring.add(KeyEntry::generate(alg, 2048, None, NOW).unwrap())
            .unwrap();
    }
    let file = KeyringFile::new(keyring_path(dir.path()), "pw").unwrap();
    file.create(&ring).unwrap();
    let mut group = c.benchmark_group("keyring");
    group.sample_size(10);
    group.bench_function("open + save, 100 keys", |b| {
        b.iter(|| {
            let back = file.open().unwrap();
            file.save(&back).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, open_and_save);
criterion_main!(benches);
