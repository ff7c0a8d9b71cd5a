use super::*;

const REQ: &str = "0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b";
const CORR: &str = "7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a";
const APP: &str = "11111111-2222-3333-4444-555555555555";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

fn other<'a>(x: &'a Extracted, label: &str) -> Vec<&'a str> {
    x.other
        .iter()
        .filter(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn assert_ids(x: &Extracted, request: &str, correlation: &str) {
    assert_eq!(x.request_id.as_deref(), Some(request), "{x:#?}");
    assert_eq!(x.correlation_id.as_deref(), Some(correlation), "{x:#?}");
}

/// Every value in `x` is sanitised, trimmed, single-line and capped.
fn assert_clean(x: &Extracted) {
    let mut values: Vec<&str> = x.error_codes.iter().map(String::as_str).collect();
    values.extend(x.request_id.as_deref());
    values.extend(x.correlation_id.as_deref());
    values.extend(x.timestamp.as_deref());
    for (label, value) in &x.other {
        values.push(label);
        values.push(value);
    }
    for v in values {
        assert!(!v.is_empty());
        assert_eq!(v, v.trim(), "untrimmed {v:?}");
        assert!(v.chars().count() <= MAX_VALUE_CHARS, "too long {v:?}");
        assert!(!v.chars().any(char::is_control), "control char in {v:?}");
    }
    for id in [&x.request_id, &x.correlation_id].into_iter().flatten() {
        assert_eq!(id, &id.to_ascii_lowercase());
        assert_eq!(id.len(), 36);
    }
    for note in &x.notes {
        assert!(
            !note.chars().any(char::is_control),
            "control char in {note:?}"
        );
    }
}

// -- sanitize -------------------------------------------------------------

#[test]
fn sanitize_keeps_plain_text() {
    let text = "Request Id: abc\n\tÉtat: connecté 👍 日本語 — “quotes”";
    assert_eq!(sanitize(text), text);
}

#[test]
fn sanitize_removes_c0_del_c1_and_cr() {
    assert_eq!(
        sanitize("a\0b\x07c\x08d\re\x7ff\u{85}g\u{9c}h\u{80}i\u{9f}"),
        "abcdefghi"
    );
    assert_eq!(sanitize("line\r\nnext"), "line\nnext");
}

#[test]
fn sanitize_removes_csi() {
    assert_eq!(sanitize("\x1b[31mred\x1b[0m plain"), "red plain");
    assert_eq!(sanitize("\x1b[?25l\x1b[2J\x1b[1;1Hhome"), "home");
    assert_eq!(sanitize("\x1b[38;5;196mX"), "X");
    // An aborted CSI leaves what aborted it.
    assert_eq!(sanitize("\x1b[12\nnext"), "\nnext");
    // The 8-bit CSI.
    assert_eq!(sanitize("\u{9b}31mred"), "red");
}

#[test]
fn sanitize_removes_osc_with_either_terminator() {
    assert_eq!(sanitize("a\x1b]52;c;ZXZpbA==\x07b"), "ab");
    assert_eq!(sanitize("a\x1b]0;title\x1b\\b"), "ab");
    assert_eq!(
        sanitize("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"),
        "click"
    );
    assert_eq!(sanitize("a\u{9d}2;title\u{9c}b"), "ab");
}

#[test]
fn sanitize_removes_dcs_sos_pm_apc() {
    assert_eq!(sanitize("a\x1bP1$r0m\x1b\\b"), "ab");
    assert_eq!(sanitize("a\x1bXsos\x1b\\b"), "ab");
    assert_eq!(sanitize("a\x1b^pm\x1b\\b"), "ab");
    assert_eq!(sanitize("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
    assert_eq!(sanitize("a\u{90}dcs\u{9c}b"), "ab");
}

#[test]
fn sanitize_unterminated_string_ends_at_line_feed() {
    assert_eq!(
        sanitize("\x1b]52;c;ZXZpbA==\nRequest Id: x"),
        "\nRequest Id: x"
    );
    assert_eq!(sanitize("x\x1b]52;c;never ends"), "x");
    // Another ESC ends the string and starts its own sequence.
    assert_eq!(sanitize("\x1b]0;t\x1b[31mred"), "red");
}

#[test]
fn sanitize_removes_short_escapes() {
    assert_eq!(sanitize("a\x1bcb"), "ab"); // RIS
    assert_eq!(sanitize("a\x1b7b\x1b8c"), "abc"); // save/restore cursor
    assert_eq!(sanitize("a\x1b(Bb"), "ab"); // charset
    assert_eq!(sanitize("a\x1b#8b"), "ab"); // DECALN
    assert_eq!(sanitize("a\x1bOPb"), "ab"); // SS3 F1
    assert_eq!(sanitize("a\x1b"), "a"); // lone at the end
    assert_eq!(sanitize("a\x1bé"), "aé"); // lone before non-ASCII
    assert_eq!(sanitize("a\x1b\x1b[1mb"), "ab");
}

#[test]
fn sanitize_is_idempotent_on_tricky_input() {
    let text = "\x1b\x1b]]\x1b[\x1b[[m\u{9b}\u{9b}1\x1bP\x1b\x1b\\\\x";
    let once = sanitize(text);
    assert_eq!(sanitize(&once), once);
    assert!(!once.contains('\x1b'));
}

// -- the sign-in page -------------------------------------------------------

#[test]
fn sign_in_page_troubleshooting_details() {
    let text = format!(
        "Sorry, but we're having trouble signing you in.\n\
         AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\n\
         Troubleshooting details\n\
         If you contact your administrator, send this info to them.\n\
         Copy info to clipboard\n\
         Request Id: {REQ}\n\
         Correlation Id: {CORR}\n\
         Timestamp: 2024-05-14T09:21:07.123Z\n\
         Message: AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\n\
         App name: Contoso Portal\n\
         App id: {APP}\n\
         IP address: 203.0.113.7\n\
         Device identifier: Not available\n\
         Device platform: Windows 10\n\
         Device state: Unregistered\n\
         Flag sign-in errors for review: Enable flagging\n"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07.123Z"));
    assert_eq!(
        x.other,
        [
            ("App name", "Contoso Portal"),
            ("App id", APP),
            ("IP address", "203.0.113.7"),
            ("Device identifier", "Not available"),
            ("Device platform", "Windows 10"),
            ("Device state", "Unregistered"),
        ]
        .map(|(l, v)| (l.to_string(), v.to_string()))
    );
    assert!(x.notes.is_empty(), "{:?}", x.notes);
    assert_clean(&x);
}

#[test]
fn sign_in_page_windows_clipboard_with_crlf_and_nbsp() {
    let text = format!(
        "AADSTS50058: A silent sign-in request was sent but no user is signed in.\r\n\r\n\
         Request Id:\u{a0}{REQ}\r\nCorrelation Id:\u{a0}{CORR}\r\n\
         Timestamp:\u{a0}2024-05-14T09:21:07.123Z\r\n"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50058"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07.123Z"));
}

#[test]
fn sign_in_page_older_variant_values_on_next_line() {
    let text = format!(
        "Sign in\n\
         Sorry, but we're having trouble signing you in.\n\n\
         AADSTS50058: A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.\n\n\
         Troubleshooting details\n\
         If you contact your administrator, send this info to them.\n\
         Copy info to clipboard\n\
         Request ID:\n\
         {}\n\
         Correlation ID:\n\
         {}\n\
         Timestamp:\n\
         2019-03-07T16:44:11Z\n\
         Advanced diagnostics: Enable\n",
        REQ.to_uppercase(),
        CORR.to_uppercase()
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50058"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2019-03-07T16:44:11Z"));
}

#[test]
fn sign_in_page_copied_label_and_value_on_separate_lines_without_colon() {
    let text =
        format!("Request Id\n{REQ}\nCorrelation Id\n{CORR}\nTimestamp\n2024-05-14T09:21:07Z\n");
    let x = extract(&text);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07Z"));
}

#[test]
fn sign_in_page_trace_id_variant() {
    let text = format!(
        "Sign in\n\
         Sorry, but we're having trouble signing you in.\n\
         We received a bad request.\n\n\
         Additional technical information:\n\
         Trace ID: {REQ}\n\
         Correlation ID: {CORR}\n\
         Timestamp: 2017-11-02 14:33:05Z\n\
         AADSTS50011: The reply url specified in the request does not match the reply urls configured for the application: '{APP}'.\n"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50011"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2017-11-02 14:33:05Z"));
}

#[test]
fn free_text_labels_do_not_take_the_next_line() {
    let x = extract("App name:\nDevice platform: Windows 10\n");
    assert_eq!(other(&x, "App name"), Vec::<&str>::new());
    assert_eq!(other(&x, "Device platform"), ["Windows 10"]);
}

// -- token endpoint JSON ------------------------------------------------------

fn token_error_json() -> String {
    format!(
        r#"{{"error":"invalid_grant","error_description":"AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\r\nTrace ID: {REQ}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2024-05-14 09:21:07Z","error_codes":[50143],"timestamp":"2024-05-14 09:21:07Z","trace_id":"{REQ}","correlation_id":"{CORR}","error_uri":"https://login.microsoftonline.com/error?code=50143"}}"#
    )
}

#[test]
fn token_endpoint_json() {
    let x = extract(&token_error_json());
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
    assert_eq!(other(&x, "Error"), ["invalid_grant"]);
    assert_eq!(
        other(&x, "Error URI"),
        ["https://login.microsoftonline.com/error?code=50143"]
    );
    assert!(x.notes.is_empty(), "{:?}", x.notes);
    assert_clean(&x);
}

#[test]
fn token_endpoint_json_pretty_printed_with_two_codes() {
    let text = format!(
        r#"HTTP/1.1 400 Bad Request
Content-Type: application/json; charset=utf-8
x-ms-request-id: {REQ}
client-request-id: {CORR}

{{
  "error": "interaction_required",
  "error_description": "AADSTS50058: A silent sign-in request was sent but no user is signed in.\r\nTrace ID: {REQ}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2024-05-14 09:21:07Z",
  "error_codes": [
50058,
50143
  ],
  "timestamp": "2024-05-14 09:21:07Z",
  "trace_id": "{REQ}",
  "correlation_id": "{CORR}",
  "suberror": "bad_token"
}}
"#
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50058", "AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
    assert_eq!(other(&x, "Error"), ["interaction_required"]);
    assert_eq!(other(&x, "Suberror"), ["bad_token"]);
    assert_eq!(other(&x, "Client request id"), [CORR]);
    assert_eq!(other(&x, "HTTP status"), Vec::<&str>::new());
    assert!(x.notes.is_empty(), "{:?}", x.notes);
}

#[test]
fn json_string_escapes_are_decoded_and_sanitised() {
    let text = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\u001b]52;c;ZXZpbA==\u0007\nTrace ID: {0B1C9F8E-2A3D-4E5F-8A9B-1C2D3E4F5A6B}"}"#;
    let x = extract(text);
    assert_eq!(x.error_codes, ["AADSTS7000215"]);
    assert_eq!(x.request_id.as_deref(), Some(REQ));
    assert!(
        x.notes.iter().any(|n| n.contains("escape sequences")),
        "{:?}",
        x.notes
    );
    assert_clean(&x);
}

#[test]
fn json_inside_a_json_string_is_read() {
    let inner = token_error_json().replace('"', "\\\"");
    let text = format!(r#"{{"level":"error","msg":"token request failed","body":"{inner}"}}"#);
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(other(&x, "Error"), ["invalid_grant"]);
}

// -- authentication library exceptions ---------------------------------------------

#[test]
fn msal_net_exception() {
    let text = format!(
        "MSAL.NetCore.4.59.0.0.MsalUiRequiredException: \n\
         \tErrorCode: invalid_grant\n\
         Microsoft.Identity.Client.MsalUiRequiredException: AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource. Trace ID: {REQ} Correlation ID: {CORR} Timestamp: 2024-05-14 09:21:07Z\n\
         \x20  at Microsoft.Identity.Client.Internal.Requests.RequestBase.HandleTokenRefreshError(MsalServiceException e, MsalAccessTokenCacheItem cachedAccessTokenItem)\n\
         \x20  at Microsoft.Identity.Client.Internal.Requests.Silent.SilentRequest.ExecuteAsync(CancellationToken cancellationToken)\n\
         \tStatusCode: 400 \n\
         \tResponseBody: {{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50143: Session mismatch.\\r\\nTrace ID: {REQ}\\r\\nCorrelation ID: {CORR}\\r\\nTimestamp: 2024-05-14 09:21:07Z\",\"error_codes\":[50143],\"timestamp\":\"2024-05-14 09:21:07Z\",\"trace_id\":\"{REQ}\",\"correlation_id\":\"{CORR}\",\"suberror\":\"bad_token\"}} \n\
         \tHeaders: Cache-Control: no-store, no-cache\n"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
    assert_eq!(other(&x, "Exception"), ["MsalUiRequiredException"]);
    assert_eq!(other(&x, "Error"), ["invalid_grant"]);
    assert_eq!(other(&x, "HTTP status"), ["400"]);
    assert_eq!(other(&x, "Suberror"), ["bad_token"]);
    assert!(x.notes.is_empty(), "{:?}", x.notes);
}

#[test]
fn msal_python_dict_repr() {
    let text = format!(
        "{{'error': 'invalid_grant', 'error_description': \"AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\\r\\nTrace ID: {REQ}\\r\\nCorrelation ID: {CORR}\\r\\nTimestamp: 2024-05-14 09:21:07Z\", 'error_codes': [50143], 'timestamp': '2024-05-14 09:21:07Z', 'trace_id': '{REQ}', 'correlation_id': '{CORR}', 'error_uri': 'https://login.microsoftonline.com/error?code=50143'}}"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
    assert_eq!(other(&x, "Error"), ["invalid_grant"]);
    assert!(x.notes.is_empty(), "{:?}", x.notes);
}

#[test]
fn msal_python_dict_repr_numbers_only() {
    let x =
        extract("result = {'error': 'interaction_required', 'error_codes': [50058, 50143, 16000]}");
    assert_eq!(x.error_codes, ["AADSTS50058", "AADSTS50143", "AADSTS16000"]);
}

#[test]
fn msal_js_server_error() {
    let text = format!(
        "Uncaught (in promise) ServerError: invalid_grant: AADSTS50143: Session mismatch - Session is invalid because user tenant doesn't match the domain hint due to different resource.\r\n\
         Trace ID: {REQ}\r\nCorrelation ID: {CORR}\r\nTimestamp: 2024-05-14 09:21:07Z - Correlation ID: {CORR} - Trace ID: {REQ}\n\
         \x20   at ServerError.AuthError [as constructor] (AuthError.ts:49:9)\n\
         \x20   at new ServerError (ServerError.ts:14:9)\n"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(other(&x, "Exception"), ["ServerError"]);
    assert_eq!(other(&x, "Error"), ["invalid_grant"]);
}

#[test]
fn msal_js_interaction_required() {
    let x = extract(&format!(
        "InteractionRequiredAuthError: interaction_required: AADSTS50058: A silent sign-in request was sent but no user is signed in. Trace ID: {REQ} Correlation ID: {CORR} Timestamp: 2024-05-14 09:21:07Z"
    ));
    assert_eq!(x.error_codes, ["AADSTS50058"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(other(&x, "Exception"), ["InteractionRequiredAuthError"]);
    assert_eq!(other(&x, "Error"), ["interaction_required"]);
}

// -- redirect URLs ---------------------------------------------------------------------

#[test]
fn url_encoded_error_description_in_query() {
    let text = format!(
        "https://app.contoso.com/auth/callback?error=invalid_request&error_description=AADSTS50143%3a+Session+mismatch+-+Session+is+invalid+because+user+tenant+doesn%27t+match+the+domain+hint.%0d%0aTrace+ID%3a+{REQ}%0d%0aCorrelation+ID%3a+{CORR}%0d%0aTimestamp%3a+2024-05-14+09%3a21%3a07Z&state=eyJpZCI6IjEyMyJ9"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
    assert_eq!(other(&x, "Error"), ["invalid_request"]);
    assert_clean(&x);
}

#[test]
fn url_encoded_uppercase_escapes_in_fragment() {
    let text = format!(
        "https://app.contoso.com/#error=login_required&error_description=AADSTS50058%3A%20A%20silent%20sign-in%20request%20was%20sent%20but%20no%20user%20is%20signed%20in.%0D%0ATrace%20ID%3A%20{REQ}%0D%0ACorrelation%20ID%3A%20{CORR}%0D%0ATimestamp%3A%202024-05-14%2009%3A21%3A07Z&error_uri=https%3A%2F%2Flogin.microsoftonline.com%2Ferror%3Fcode%3D50058&state=abc"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50058"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(other(&x, "Error"), ["login_required"]);
    assert_eq!(
        other(&x, "Error URI"),
        ["https://login.microsoftonline.com/error?code=50058"]
    );
}

#[test]
fn url_encoded_escape_sequence_is_sanitised() {
    let x = extract("?error_description=AADSTS50143%1b%5d52%3bc%3bZXZpbA%3d%3d%07+x");
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert!(x.notes.iter().any(|n| n.contains("escape sequences")));
    assert_clean(&x);
}

#[test]
fn tenant_from_login_url() {
    let x = extract(&format!(
        "GET https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize?client_id={APP}&domain_hint=fabrikam.com&login_hint=adele%40contoso.com\n\
         GET https://login.microsoftonline.com/common/oauth2/v2.0/token\n\
         GET https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/B2C_1_signin/oauth2/v2.0/authorize\n"
    ));
    assert_eq!(other(&x, "Tenant"), [TENANT, "contosob2c.onmicrosoft.com"]);
    assert_eq!(other(&x, "App id"), [APP]);
    assert_eq!(other(&x, "Domain hint"), ["fabrikam.com"]);
    assert_eq!(other(&x, "User"), ["adele@contoso.com"]);
}

// -- log lines -------------------------------------------------------------------------

#[test]
fn log_line_key_value() {
    let text = format!(
        "2024-05-14T09:21:07Z ERROR auth: sign-in failed code=AADSTS50143 requestId={REQ} correlationId={CORR} tenant=contoso.onmicrosoft.com ip=198.51.100.23\n\
         2024-05-14T09:21:08Z INFO auth: retrying\n"
    );
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07Z"));
    assert_eq!(other(&x, "Tenant"), ["contoso.onmicrosoft.com"]);
    assert_eq!(other(&x, "IP address"), ["198.51.100.23"]);
    assert!(x.notes.is_empty(), "{:?}", x.notes);
}

#[test]
fn many_log_levels_do_not_hide_a_later_error() {
    let mut text = "2024-05-14T09:21:07Z ERROR auth: retry failed\n".repeat(200);
    text.push_str("2024-05-14T09:21:08Z ERROR auth: error=invalid_grant\n");
    let x = extract(&text);
    assert_eq!(other(&x, "Error"), ["invalid_grant"]);
}

#[test]
fn labelled_timestamp_wins_over_log_line_timestamp() {
    let text = format!(
        "[2024-05-14 09:30:00,123] WARN token refresh failed: Timestamp: 2024-05-14 09:21:07Z Trace ID: {REQ}"
    );
    let x = extract(&text);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14 09:21:07Z"));
    assert!(x.notes.is_empty(), "{:?}", x.notes);
}

#[test]
fn msal_logger_lines() {
    let text = format!(
        "[MSAL] 2024-05-14 09:21:07Z - 0b1c - Error - CorrelationId: {CORR} - AcquireTokenSilent failed\n\
         [MSAL] Info  (False) MSAL 4.59.0.0 MSAL.Desktop 4.8 or later Windows Server 2019 [2024-05-14 09:21:07Z - {CORR}] Request Id: {}\n",
        REQ.to_uppercase()
    );
    let x = extract(&text);
    assert_ids(&x, REQ, CORR);
}

#[test]
fn http_headers_client_request_id() {
    let text = format!(
        "POST /contoso.onmicrosoft.com/oauth2/v2.0/token HTTP/1.1\n\
         Host: login.microsoftonline.com\n\
         client-request-id: {CORR}\n\
         return-client-request-id: true\n\
         x-client-SKU: MSAL.NetCore\n\n\
         HTTP/1.1 400 Bad Request\n\
         x-ms-request-id: {REQ}\n\
         x-ms-ests-server: 2.1.17846.6 - SCUS ProdSlices\n\
         Date: Tue, 14 May 2024 09:21:07 GMT\n"
    );
    let x = extract(&text);
    assert_eq!(x.request_id.as_deref(), Some(REQ));
    assert_eq!(x.correlation_id, None);
    assert_eq!(other(&x, "Client request id"), [CORR]);
    assert_eq!(x.field("client_request_id").as_deref(), Some(CORR));
}

#[test]
fn label_spellings() {
    let spellings = [
        "Request Id: {}",
        "Request ID: {}",
        "request id {}",
        "requestId={}",
        "RequestID = {}",
        "request_id: \"{}\"",
        "request-id: {}",
        "\"requestId\": \"{}\"",
        "'request_id': '{}'",
        "Trace ID: {}",
        "traceId={}",
        "trace_id => {}",
        "trace-id: {}",
        "x-ms-request-id: {}",
        "<RequestId>{}</RequestId>",
    ];
    for s in spellings {
        let text = s.replace("{}", REQ);
        let x = extract(&text);
        if s.starts_with('<') {
            // A tag is no label: nothing claims the GUID.
            assert_eq!(x.request_id, None, "{text}");
            continue;
        }
        assert_eq!(x.request_id.as_deref(), Some(REQ), "{text}");
    }
    for s in [
        "Correlation Id: {}",
        "Correlation ID: {}",
        "correlationId: {}",
        "CorrelationId={}",
        "correlation_id: {}",
        "correlation-id {}",
        "\"correlationId\":\"{}\"",
    ] {
        let text = s.replace("{}", CORR);
        assert_eq!(
            extract(&text).correlation_id.as_deref(),
            Some(CORR),
            "{text}"
        );
    }
}

// -- codes ---------------------------------------------------------------------------

#[test]
fn several_codes_in_order_without_duplicates() {
    let x = extract(
        "First AADSTS50143 then AADSTS50058, again AADSTS50143 and aadsts700016; also error=50076?",
    );
    assert_eq!(
        x.error_codes,
        ["AADSTS50143", "AADSTS50058", "AADSTS700016"]
    );
}

#[test]
fn other_code_prefixes() {
    let x = extract(
        "AADB2C90118: The user has forgotten their password.\n\
         MSIS7012: An error occurred while processing the request.\n\
         Error code CAA20003 and CAA2000C.\n\
         Not codes: MSIS12345 xCAA20003 caa20003 AADSTS123 AADSTS12345678",
    );
    assert_eq!(
        x.error_codes,
        ["AADB2C90118", "MSIS7012", "CAA20003", "CAA2000C"]
    );
}

#[test]
fn numeric_error_code_labels() {
    let x = extract(
        "Sign-in error code: 50126\nFailure reason: Invalid username or password.\nError Code: 50076\nerrorCode=53003",
    );
    assert_eq!(x.error_codes, ["AADSTS50126", "AADSTS50076", "AADSTS53003"]);
    assert_eq!(
        other(&x, "Failure reason"),
        ["Invalid username or password."]
    );
}

#[test]
fn url_encoded_codes_glued_to_escapes_are_found() {
    let x = extract("error_description=x%0d%0aAADSTS50058%3a+y%0aAADSTS50143");
    assert_eq!(x.error_codes, ["AADSTS50058", "AADSTS50143"]);
}

// -- GUIDs and values ---------------------------------------------------------------------

#[test]
fn guids_with_braces_uppercase_or_no_hyphens() {
    let x = extract(&format!(
        "Request Id: {{{}}}\nCorrelation Id: {}",
        REQ.to_uppercase(),
        CORR.replace('-', "")
    ));
    assert_ids(&x, REQ, CORR);
}

#[test]
fn guid_must_be_whole() {
    let x = extract(&format!(
        "Request Id: {REQ}0\nCorrelation Id: {}",
        &CORR[..30]
    ));
    assert_eq!(x.request_id, None);
    assert_eq!(x.correlation_id, None);
    assert!(x.is_empty());
}

#[test]
fn different_ids_keep_the_first_and_say_so() {
    let x = extract(&format!(
        "Request Id: {REQ}\nTrace ID: {APP}\nCorrelation Id: {CORR}\nCorrelation Id: {CORR}\nTimestamp: 2024-05-14T09:21:07.123Z\nTimestamp: 2024-05-14 09:21:07Z\nTimestamp: 2024-05-15 10:00:00Z"
    ));
    assert_ids(&x, REQ, CORR);
    assert_eq!(x.timestamp.as_deref(), Some("2024-05-14T09:21:07.123Z"));
    assert_eq!(
        x.notes,
        [
            format!("2 different request ids found, kept the first: {REQ} (also seen: {APP})"),
            "2 different timestamps found, kept the first: 2024-05-14T09:21:07.123Z (also seen: 2024-05-15 10:00:00Z)".to_string(),
        ]
    );
}

#[test]
fn timestamp_formats() {
    for (text, want) in [
        ("Timestamp: 2024-05-14T09:21:07Z", "2024-05-14T09:21:07Z"),
        (
            "Timestamp: 2024-05-14T09:21:07.1234567+02:00 next",
            "2024-05-14T09:21:07.1234567+02:00",
        ),
        (
            "timestamp=2024-05-14 09:21:07 UTC",
            "2024-05-14 09:21:07 UTC",
        ),
        ("Timestamp: 5/14/2024, 9:21:07 AM", "5/14/2024, 9:21:07 AM"),
        ("\"timestamp\": \"2024-05-14\"", "2024-05-14"),
    ] {
        assert_eq!(extract(text).timestamp.as_deref(), Some(want), "{text}");
    }
    assert_eq!(extract("the timestamp is wrong").timestamp, None);
    assert_eq!(extract("Timestamp: 2024-05-14T09:21:07Z1").timestamp, None);
}

#[test]
fn ip_addresses() {
    let x = extract(
        "IP address: 2001:db8::7\nclient_ip=203.0.113.9:443\nIP: 999.1.1.1\nip address: none",
    );
    assert_eq!(other(&x, "IP address"), ["2001:db8::7", "203.0.113.9"]);
}

#[test]
fn oauth_error_needs_snake_case() {
    let x = extract("Error: the user cancelled\nerror: access_denied\nerror = consent_required.");
    assert_eq!(other(&x, "Error"), ["access_denied", "consent_required"]);
}

#[test]
fn long_values_are_capped() {
    let name = "Contoso ".repeat(100);
    let x = extract(&format!(
        "App name: {name}\nDevice platform: {}",
        "x".repeat(5000)
    ));
    let app = &other(&x, "App name")[0];
    assert_eq!(app.chars().count(), MAX_VALUE_CHARS);
    assert!(app.ends_with('…'));
    assert!(app.starts_with("Contoso Contoso"));
    assert_clean(&x);
}

#[test]
fn escape_sequences_in_values_are_removed() {
    let x = extract(&format!(
        "App name: \x1b]52;c;ZXZpbA==\x07Evil\x1b[31m App\x1b[0m\nRequest Id: \x1b[1m{REQ}\x1b[0m\nDevice state: a\u{9b}2Jb"
    ));
    assert_eq!(other(&x, "App name"), ["Evil App"]);
    assert_eq!(other(&x, "Device state"), ["ab"]);
    assert_eq!(x.request_id.as_deref(), Some(REQ));
    assert_eq!(x.notes, ["terminal escape sequences removed"]);
    assert_clean(&x);
}

// -- the API -----------------------------------------------------------------------------

#[test]
fn empty_and_prose_give_nothing() {
    for text in [
        "",
        "   \n\t\n",
        "My sign-in does not work, please help!",
        "{}",
        "[]",
        "{\"a\": 1}",
    ] {
        let x = extract(text);
        assert!(x.is_empty(), "{text:?}: {x:?}");
        assert!(x.notes.is_empty(), "{text:?}: {x:?}");
    }
    assert_eq!(extract(""), Extracted::default());
}

#[test]
fn field_by_id() {
    let x = extract(&format!(
        "AADSTS50143 AADSTS50058\nRequest Id: {REQ}\nCorrelation Id: {CORR}\nTimestamp: 2024-05-14T09:21:07Z\nApp id: {APP}\nIP address: 203.0.113.7"
    ));
    assert_eq!(x.field("error_code").as_deref(), Some("AADSTS50143"));
    assert_eq!(x.field("request_id").as_deref(), Some(REQ));
    assert_eq!(x.field("correlation_id").as_deref(), Some(CORR));
    assert_eq!(
        x.field("timestamp").as_deref(),
        Some("2024-05-14T09:21:07Z")
    );
    assert_eq!(x.field("app_id").as_deref(), Some(APP));
    assert_eq!(x.field("IP address").as_deref(), Some("203.0.113.7"));
    assert_eq!(x.field("nope"), None);
    for id in FIELD_IDS {
        assert!(x.field(id).is_some(), "{id}");
    }
    assert_eq!(Extracted::default().field("error_code"), None);
}

#[test]
fn is_empty_ignores_notes() {
    let x = extract("\x1b[31m\0");
    assert!(x.is_empty());
    assert!(!x.notes.is_empty());
}

#[test]
fn serializes_to_json() {
    let x = extract(&format!("AADSTS50143\nRequest Id: {REQ}\nApp id: {APP}"));
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "error_codes": ["AADSTS50143"],
            "request_id": REQ,
            "correlation_id": null,
            "timestamp": null,
            "other": [["App id", APP]],
            "notes": [],
        })
    );
}

// -- hostile input ---------------------------------------------------------------------

#[test]
fn huge_input_is_truncated_and_said() {
    let head = format!("Request Id: {REQ}\nAADSTS50143\n");
    let mut text = head.clone();
    while text.len() < MAX_INPUT_BYTES - 3 {
        text.push_str("filler line without anything in it\n");
    }
    text.truncate(MAX_INPUT_BYTES - 1);
    text.push('é'); // straddles the cap
    text.push_str(&format!("\nCorrelation Id: {CORR}\nAADSTS50058\n"));
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_eq!(x.request_id.as_deref(), Some(REQ));
    assert_eq!(x.correlation_id, None);
    assert_eq!(x.notes.len(), 1, "{:?}", x.notes);
    assert!(
        x.notes[0].starts_with("input truncated to 1 MiB"),
        "{:?}",
        x.notes
    );
}

#[test]
fn nul_bytes_and_utf16_text() {
    let utf16: String = format!("Request Id: {REQ}\r\nAADSTS50143")
        .chars()
        .flat_map(|c| [c, '\0'])
        .collect();
    let x = extract(&utf16);
    assert_eq!(x.request_id.as_deref(), Some(REQ));
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert_eq!(x.notes, ["binary data ignored: NUL bytes were removed"]);
}

#[test]
fn lossily_decoded_binary() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(20_000).collect();
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    text.push_str("\nAADSTS50143\n");
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert!(
        x.notes.iter().any(|n| n.contains("not valid UTF-8")),
        "{:?}",
        x.notes
    );
    assert!(x.notes.iter().any(|n| n.contains("NUL")), "{:?}", x.notes);
    assert_clean(&x);
}

#[test]
fn deeply_nested_json_does_not_overflow() {
    let depth = 100_000;
    let mut text = String::from("AADSTS50143 ");
    text.push_str(&"{\"a\":".repeat(depth));
    text.push('1');
    text.push_str(&"}".repeat(depth));
    let x = extract(&text);
    assert_eq!(x.error_codes, ["AADSTS50143"]);
    assert!(
        x.notes.iter().any(|n| n.contains("nested too deeply")),
        "{:?}",
        x.notes
    );

    let arrays = format!(
        "{{\"error_codes\":{}50143{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let _ = extract(&arrays);
}

#[test]
fn json_at_the_walk_depth_limit_is_fine() {
    let depth = 120;
    let text = format!(
        "{}{{\"trace_id\":\"{REQ}\"}}{}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    let x = extract(&text);
    assert_eq!(x.request_id.as_deref(), Some(REQ));
}

/// Inputs built to make a naive scanner quadratic or deep.
fn pathological_inputs() -> Vec<(&'static str, String)> {
    let mib = MAX_INPUT_BYTES;
    let rep = |s: &str| s.repeat(mib / s.len());
    vec![
        ("one long line", "a".repeat(mib)),
        ("braces", rep("{")),
        ("brace quote", rep("{\"")),
        ("open objects", rep("{\"a\":")),
        ("labels", rep("Request Id: ")),
        ("labels with colons", rep("App name:")),
        ("labels on one line", rep("Device platform: Windows 10 ")),
        ("labels and newlines", rep("Request Id:\n")),
        ("quotes", rep("\"requestId\": \"")),
        ("codes", rep("AADSTS5014")),
        ("digits", format!("AADSTS{}", "1".repeat(mib - 6))),
        ("escapes", rep("\\r\\n\\u00")),
        ("percent", rep("%3a%0d%0a+")),
        ("esc", rep("\x1b[")),
        ("osc", rep("\x1b]52;c;")),
        ("exceptions", rep("MsalServiceException: invalid_grant: ")),
        ("log times", rep("2024-05-14T09:21:07Z\n")),
        ("guids", rep("0b1c9f8e-2a3d-4e5f-8a9b-1c2d3e4f5a6b")),
        ("login urls", rep("login.microsoftonline.com/")),
        ("spaces", format!("Request Id:{}", " ".repeat(mib))),
    ]
}

#[test]
fn pathological_inputs_give_clean_results() {
    // Speed on these is measured by the benchmarks, not asserted here.
    for (_name, text) in pathological_inputs() {
        let x = extract(&text);
        assert_clean(&x);
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a table of hostile inputs, one per line"
)]
fn never_panics_on_hostile_input() {
    let fragments = [
        "AADSTS",
        "50143",
        "AADB2C9011",
        "MSIS",
        "CAA2000",
        "Request Id",
        "Trace ID",
        "correlation_id",
        "client-request-id",
        "Timestamp",
        "App name",
        "ip",
        "error",
        "error_codes",
        ":",
        "=",
        "=>",
        " ",
        "\n",
        "\r\n",
        "\t",
        "\"",
        "'",
        "{",
        "}",
        "[",
        "]",
        ",",
        "\\",
        "\\r\\n",
        "\\u001b",
        "\\u",
        "\\x",
        "%",
        "%3a",
        "%0D%0A",
        "%1b",
        "%e2%82",
        "+",
        "&",
        "?",
        "#",
        "\x1b",
        "\x1b[",
        "\x1b]52;c;",
        "\x07",
        "\x1b\\",
        "\u{9b}",
        "\u{9d}",
        "\u{9c}",
        "\0",
        "\u{fffd}",
        "\u{a0}",
        "\u{200b}",
        "é",
        "👍",
        "日本",
        "\u{202e}",
        REQ,
        "{0B1C9F8E-2A3D-4E5F-8A9B-1C2D3E4F5A6B}",
        "0b1c9f8e2a3d4e5f8a9b1c2d3e4f5a6b",
        "2024-05-14T09:21:07.123Z",
        "5/14/2024, 9:21 AM",
        "203.0.113.7",
        "2001:db8::",
        "https://login.microsoftonline.com/",
        "contoso.com",
        "invalid_grant",
        "ServerError",
        "Exception",
        "a@b.co",
        "9999999999999999999999",
        "-1",
        "null",
        "true",
        "{\"error_codes\":[",
        "{'error': '",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..3000 {
        let mut text = String::new();
        let pieces = 1 + rng.below(60);
        for _ in 0..pieces {
            if rng.below(8) == 0 {
                // Raw bytes, lossily decoded as a paste would be.
                let bytes: Vec<u8> = (0..rng.below(16))
                    .map(|_| rng.next().to_le_bytes()[0])
                    .collect();
                text.push_str(&String::from_utf8_lossy(&bytes));
            } else {
                text.push_str(fragments[rng.below(fragments.len())]);
            }
        }
        let x = extract(&text);
        assert_clean(&x);
        let clean = sanitize(&text);
        assert_eq!(sanitize(&clean), clean, "round {round}: {text:?}");
        assert!(
            !clean
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "round {round}: {text:?}"
        );
    }
}
