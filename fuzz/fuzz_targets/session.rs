//! Session file reading on arbitrary bytes; a session that reads is resumed on the bundled
//! guide (whatever its trail, marks and view say), exported, and driven in the TUI.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use tshoot::session::{Decode, Session, export};

fuzz_target!(|data: &[u8]| {
    let session = match Session::decode(data) {
        Ok(s) => s,
        Err(Decode::Corrupt(why)) => {
            assert!(!why.is_empty());
            return;
        }
        Err(Decode::Future(_)) => return,
    };
    let lib = tshoot::guide::Library::load(&[]);
    let guide = lib.guides[0].guide.clone();
    let _ = session.case.replay(&guide);
    let _ = export::markdown(&session, Some(&guide));
    let _ = export::markdown(&session, None);
    let _ = export::json(&session, Some(&guide));
    let keys = session.id.as_bytes().to_vec();
    common::drive(guide, Some(session), &keys);
});
