//! Helpers shared by the integration tests.

use std::path::Path;

/// Copies a folder tree (a fixture) to `to`, e.g. a temporary folder outside any git repository.
#[allow(dead_code)] // not every test file copies fixtures
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What a run of the `smsbook` binary gave.
#[allow(dead_code)] // not every test file runs the binary this way
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `smsbook` binary in `cwd` without colours and without the user's git settings.
#[allow(dead_code)]
pub fn smsbook(args: &[&str], cwd: &Path) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_smsbook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
