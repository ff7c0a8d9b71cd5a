use super::*;

const CORR: &str = "5f0e2a9b-7c41-4d8e-a1b2-3c4d5e6f7a8b";
const REQ: &str = "0b1c7a3e-2d4f-4c7a-9e55-8d2f0a6b1c3d";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

#[test]
fn users_ips_and_tenants_are_masked_and_request_ids_kept() {
    let text = format!(
        "Signed in as: Alice.Smith@contoso.com\nOther: bob@fabrikam.co.uk\n\
         IP address: 203.0.113.7\nClient IP: 2001:db8::8a2e:370:7334\n\
         Tenant ID: {TENANT}\nRequest Id: {REQ}\nCorrelation Id: {CORR}\n\
         Timestamp: 2024-05-14T09:21:07Z\nDomain: contoso.onmicrosoft.com\n\
         URL: https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize\n\
         Again: alice.smith@CONTOSO.com from 203.0.113.7\n"
    );
    let r = redact(&text);
    assert_eq!(
        r,
        format!(
            "Signed in as: <user-1>\nOther: <user-2>\n\
             IP address: <ip-1>\nClient IP: <ip-2>\n\
             Tenant ID: <tenant-1>\nRequest Id: {REQ}\nCorrelation Id: {CORR}\n\
             Timestamp: 2024-05-14T09:21:07Z\nDomain: <tenant-2>\n\
             URL: https://login.microsoftonline.com/<tenant-1>/oauth2/v2.0/authorize\n\
             Again: <user-1> from <ip-1>\n"
        )
    );
}

#[test]
fn tenant_labels_in_json_and_keys_and_braces() {
    let text = format!(
        r#"{{"tid":"{TENANT}","tenant_id": "{{{}}}","correlation_id":"{CORR}"}}"#,
        TENANT.to_uppercase()
    );
    assert_eq!(
        redact(&text),
        format!(r#"{{"tid":"<tenant-1>","tenant_id": "<tenant-1>","correlation_id":"{CORR}"}}"#)
    );
}

#[test]
fn things_that_only_look_like_addresses_are_left_alone() {
    for text in [
        "Timestamp: 2024-05-14 09:21:07Z",
        "Windows 10.0.19045.2965",
        "version 1.2.3",
        "999.1.1.1",
        "a::b and std::io are Rust paths, not addresses",
        "sha deadbeef:cafe:f00d",
        "user@localhost",
        "AADSTS50143: Session mismatch",
    ] {
        assert_eq!(redact(text), text);
    }
}

#[test]
fn json_strings_are_redacted_with_their_labels_and_keys_kept() {
    let mut v = serde_json::json!({
        "user": "alice@contoso.com",
        "fields": [{"id": "ip", "value": "10.1.2.3"}],
        "tenant_id": TENANT,
        "other": [["Tenant ID", TENANT], ["Request Id", REQ]],
        "correlation_id": CORR,
        "n": 3
    });
    Redactor::new().json(&mut v);
    assert_eq!(
        v,
        serde_json::json!({
            "user": "<user-1>",
            "fields": [{"id": "ip", "value": "<ip-1>"}],
            "tenant_id": "<tenant-1>",
            "other": [["Tenant ID", "<tenant-1>"], ["Request Id", REQ]],
            "correlation_id": CORR,
            "n": 3
        })
    );
}
