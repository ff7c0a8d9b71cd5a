use super::*;

fn cat() -> Catalog {
    Catalog::scan(&[], None)
}

fn codes_of(t: &Triage) -> Vec<&str> {
    t.candidates.iter().map(|c| c.code.as_str()).collect()
}

#[test]
fn one_code_with_a_guide_opens_it_with_its_meaning_and_line() {
    let paste = "Sorry, but we're having trouble signing you in.\n\
                 \n\
                 AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\n\
                 Request Id: 0b3c4d5e-1111-4222-8333-944455556666\n\
                 Correlation Id: 7e8f9a0b-2222-4333-8444-a55566667777\n\
                 Timestamp: 2026-03-02T10:11:12Z\n";
    let t = route(paste, &cat());
    assert_eq!(codes_of(&t), ["AADSTS50076"]);
    let c = &t.candidates[0];
    assert_eq!(c.line, Some(3));
    assert_eq!(c.standing, Standing::Stated);
    assert_eq!(c.guide_id(), "AADSTS50076");
    assert_eq!(c.name.as_deref(), Some("UserStrongAuthClientAuthNRequired"));
    assert!(c.meaning.as_deref().is_some_and(|m| !m.is_empty()));
    assert_eq!(
        t.values.request_id.as_deref(),
        Some("0b3c4d5e-1111-4222-8333-944455556666")
    );
    assert_eq!(
        t.values.correlation_id.as_deref(),
        Some("7e8f9a0b-2222-4333-8444-a55566667777")
    );
    assert!(!t.binary);
    assert_eq!(t.cut, None);
}

#[test]
fn a_labelled_code_beats_one_mentioned_earlier() {
    let paste = "Customer says it looked like AADSTS50143 last week, now this:\n\
                 {\"error\":\"interaction_required\",\n\
                 \"error_description\":\"AADSTS50076: Due to a configuration change ...\",\n\
                 \"error_codes\":[50076],\n\
                 \"trace_id\":\"0b3c4d5e-1111-4222-8333-944455556666\"}\n";
    let t = route(paste, &cat());
    assert_eq!(codes_of(&t), ["AADSTS50076", "AADSTS50143"]);
    assert_eq!(t.candidates[0].standing, Standing::Labelled);
    assert_eq!(t.candidates[0].line, Some(3));
    assert_eq!(t.candidates[1].standing, Standing::Mentioned);
    assert_eq!(t.candidates[1].line, Some(1));
}

#[test]
fn several_labelled_codes_keep_their_order_and_a_multi_line_array_counts() {
    let paste = "{\n  \"error\": \"invalid_grant\",\n  \"error_description\": \"AADSTS70002: Error validating credentials. AADSTS70000: The grant is invalid.\",\n  \"error_codes\": [\n    70002,\n    70000\n  ]\n}\n";
    let t = route(paste, &cat());
    assert_eq!(codes_of(&t), ["AADSTS70002", "AADSTS70000"]);
    assert!(
        t.candidates
            .iter()
            .all(|c| c.standing == Standing::Labelled)
    );
    assert!(t.candidates.iter().all(|c| c.line == Some(3)));
}

#[test]
fn stated_beats_mentioned_and_first_appearance_breaks_ties() {
    let paste = "note: ignore AADSTS50058 from the old ticket\nMsalUiRequiredException: AADSTS65001: The user or administrator has not consented.\n";
    let t = route(paste, &cat());
    assert_eq!(codes_of(&t), ["AADSTS65001", "AADSTS50058"]);
    let t = route("AADSTS50058 and AADSTS65001 both seen\n", &cat());
    assert_eq!(codes_of(&t), ["AADSTS50058", "AADSTS65001"]);
}

#[test]
fn a_catalogued_code_without_a_guide_opens_generic_with_its_meaning() {
    let t = route("Error: AADSTS90006: bad request\n", &cat());
    let c = &t.candidates[0];
    assert_eq!(c.code, "AADSTS90006");
    assert!(c.guide.is_none());
    assert_eq!(c.guide_id(), GENERIC);
    assert!(c.meaning.is_some());
    assert!(t.generic.is_some());
}

#[test]
fn a_code_unknown_to_the_catalogue_is_still_a_candidate_for_generic() {
    let t = route(
        "MSIS7012: An error occurred while processing the request.\n",
        &cat(),
    );
    assert_eq!(codes_of(&t), ["MSIS7012"]);
    assert!(t.candidates[0].meaning.is_none());
    assert_eq!(t.candidates[0].guide_id(), GENERIC);
}

#[test]
fn a_bare_number_elsewhere_is_not_taken_for_the_code() {
    // 4099 is in the GUID; the code is AADSTS4099 only if written so.
    let paste = "x AADSTS50105 y\nRequest Id: 8fdc0a48-915a-4099-b368-bf7ac719bf00\n";
    let t = route(paste, &cat());
    assert_eq!(codes_of(&t), ["AADSTS50105"]);
    assert_eq!(t.candidates[0].line, Some(1));
}

#[test]
fn no_code_says_so_plainly() {
    let t = route("hello, the login does not work\n", &cat());
    assert!(t.candidates.is_empty());
    assert_eq!(
        t.no_code_message(),
        "the paste holds no error code (AADSTS…, AADB2C…), request id or correlation id"
    );
    let t = route(
        "Correlation Id: 7e8f9a0b-2222-4333-8444-a55566667777\n",
        &cat(),
    );
    assert!(t.no_code_message().contains("only other values"));
}

#[test]
fn binary_input_is_named_binary_and_does_not_panic() {
    let blob: String = (0u8..=255).cycle().take(4096).map(char::from).collect();
    let mut with_nul = blob.clone();
    with_nul.push('\0');
    let t = route(&with_nul, &cat());
    assert!(t.binary);
    assert!(
        t.no_code_message().contains("binary"),
        "{}",
        t.no_code_message()
    );
    let lossy = String::from_utf8_lossy(&[0xff, 0xfe, 0x80, 0x81, 0x82, b'a', 0xc3]).into_owned();
    assert!(route(&lossy, &cat()).binary);
    assert!(!route("plain text\twith a tab\r\n", &cat()).binary);
}

#[test]
fn a_paste_over_1_mib_is_cut_and_says_how_much_was_left_out() {
    let mut big = String::from("AADSTS50126: Error validating credentials\n");
    while big.len() < 10 * 1024 * 1024 {
        big.push_str("2026-03-02T10:11:12Z INFO nothing to see here, 12345 items\n");
    }
    big.push_str("AADSTS50143 at the very end\n");
    let t = route(&big, &cat());
    assert_eq!(codes_of(&t), ["AADSTS50126"]);
    let cut = t.cut.expect("cut");
    assert_eq!(cut.read, MAX_INPUT_BYTES);
    assert_eq!(cut.left_out, Some((big.len() - MAX_INPUT_BYTES) as u64));
    // A code-free long paste names the cut in its message.
    let long = "x".repeat(MAX_INPUT_BYTES + 10);
    let m = route(&long, &cat()).no_code_message();
    assert!(
        m.ends_with("; only its first 1048576 bytes (1 MiB) were read; 10 more were left out"),
        "{m}"
    );
}

#[test]
fn the_cut_falls_on_a_character_boundary() {
    let mut s = "é".repeat(MAX_INPUT_BYTES / 2 + 1);
    s.insert(0, 'a');
    let t = route(&s, &cat());
    let cut = t.cut.expect("cut");
    assert!(s.is_char_boundary(cut.read));
    assert!(cut.read <= MAX_INPUT_BYTES);
}

#[test]
fn a_guide_loaded_from_a_folder_is_the_one_a_code_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = crate::authoring::new::starter("AADSTS90006").expect("starter");
    std::fs::write(dir.path().join("aadsts90006.toml"), src).expect("write");
    let folders = [crate::guide::load::Folder {
        path: dir.path().to_path_buf(),
        explicit: true,
    }];
    let cat = Catalog::scan(&folders, None);
    let t = route("AADSTS90006: x", &cat);
    let g = t.candidates[0].guide.as_ref().expect("a guide");
    assert_eq!(g.id, cat.items[g.index].meta.id);
    assert!(g.id.eq_ignore_ascii_case("AADSTS90006"), "{}", g.id);
}
