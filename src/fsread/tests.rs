use super::*;

#[test]
fn a_fifo_is_refused_at_once_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let e = read_regular(&fifo, 10).unwrap_err();
    assert_eq!(
        e.to_string(),
        "it is a named pipe (FIFO), not a regular file"
    );
}

#[test]
fn devices_and_folders_are_refused_and_the_limit_holds() {
    let e = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
    assert!(matches!(e, ReadError::NotAFile("device")), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let e = read_regular(dir.path(), 10).unwrap_err();
    assert!(matches!(e, ReadError::NotAFile("folder")), "{e}");
    let f = dir.path().join("big");
    std::fs::write(&f, [b'a'; 11]).unwrap();
    assert!(matches!(
        read_regular(&f, 10),
        Err(ReadError::TooLarge { limit: 10 })
    ));
    assert_eq!(read_regular(&f, 11).unwrap().len(), 11);
}
