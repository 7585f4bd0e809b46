#![allow(clippy::unwrap_used)]

use super::*;

fn round_trip_client(frame: ClientFrame) -> String {
    let json = serde_json::to_string(&frame).unwrap();
    assert_eq!(serde_json::from_str::<ClientFrame>(&json).unwrap(), frame);
    json
}

fn round_trip_server(frame: ServerFrame) -> String {
    let json = serde_json::to_string(&frame).unwrap();
    assert_eq!(serde_json::from_str::<ServerFrame>(&json).unwrap(), frame);
    json
}

#[test]
fn client_frames_are_flat_json_with_an_op_and_base64_bytes() {
    let json = round_trip_client(ClientFrame {
        id: 7,
        request: Request::Submit(Submission {
            group_id: vec![1, 2],
            message: vec![0xff; 3],
            welcome: None,
        }),
    });
    assert_eq!(
        json,
        r#"{"id":7,"op":"submit","group_id":"AQI=","message":"////","welcome":null}"#
    );
    round_trip_client(ClientFrame {
        id: 8,
        request: Request::Fetch {
            group_id: Bytes(vec![9]),
            after: 41,
            limit: 100,
        },
    });
    round_trip_client(ClientFrame {
        id: 9,
        request: Request::KeyPackageCount,
    });
}

#[test]
fn responses_and_pushes_are_told_apart() {
    let ok = round_trip_server(ServerFrame::Response {
        id: 7,
        result: ResponseResult::Ok(Response::Submitted {
            outcome: SubmitOutcome::WrongEpoch { current: 4 },
        }),
    });
    assert_eq!(
        ok,
        r#"{"id":7,"ok":{"kind":"submitted","outcome":{"outcome":"wrong_epoch","current":4}}}"#
    );
    let error = round_trip_server(ServerFrame::Response {
        id: 8,
        result: ResponseResult::Error(RelayError {
            code: ErrorCode::NotMember,
            message: "not a member".into(),
        }),
    });
    assert_eq!(
        error,
        r#"{"id":8,"error":{"code":"not_member","message":"not a member"}}"#
    );
    round_trip_server(ServerFrame::Push {
        push: Push::Deliver {
            delivery: Delivery {
                group_id: vec![1],
                seq: 3,
                message: vec![4, 5],
            },
        },
    });
}

#[test]
fn malformed_frames_are_errors_not_panics() {
    for text in [
        "",
        "{",
        r#"{"id":1}"#,
        r#"{"id":1,"op":"nope"}"#,
        r#"{"id":1,"op":"submit","group_id":"!!","message":""}"#,
    ] {
        assert!(serde_json::from_str::<ClientFrame>(text).is_err(), "{text}");
    }
}

#[test]
fn the_authentication_input_binds_the_relay_name_and_the_tls_session() {
    let binding = [7; CHANNEL_BINDING_LEN];
    let a = auth_signing_input(&[1; NONCE_LEN], &binding, "relay-a");
    let b = auth_signing_input(&[1; NONCE_LEN], &binding, "relay-b");
    let other_session = auth_signing_input(&[1; NONCE_LEN], &[8; CHANNEL_BINDING_LEN], "relay-a");
    assert_ne!(a, b);
    assert_ne!(a, other_session);
    assert!(a.starts_with(AUTH_CONTEXT));
}

#[test]
fn officer_directory_request_and_answer_round_trip() {
    let json = round_trip_client(ClientFrame {
        id: 11,
        request: Request::ListOfficers { limit: 50 },
    });
    assert_eq!(json, r#"{"id":11,"op":"list_officers","limit":50}"#);
    let answer = round_trip_server(ServerFrame::Response {
        id: 11,
        result: ResponseResult::Ok(Response::Officers {
            officers: vec![DirectoryEntry {
                officer_id: "FRA-7".into(),
                certificate_chain: vec![Bytes(vec![1, 2, 3])],
            }],
        }),
    });
    assert_eq!(
        answer,
        r#"{"id":11,"ok":{"kind":"officers","officers":[{"officer_id":"FRA-7","certificate_chain":["AQID"]}]}}"#
    );
}

#[test]
fn dropping_welcomes_request_and_answer_round_trip() {
    let json = round_trip_client(ClientFrame {
        id: 12,
        request: Request::DropWelcomes {
            hashes: vec![Bytes(vec![1, 2, 3])],
        },
    });
    assert_eq!(json, r#"{"id":12,"op":"drop_welcomes","hashes":["AQID"]}"#);
    let answer = round_trip_server(ServerFrame::Response {
        id: 12,
        result: ResponseResult::Ok(Response::WelcomesDropped { dropped: 1 }),
    });
    assert_eq!(
        answer,
        r#"{"id":12,"ok":{"kind":"welcomes_dropped","dropped":1}}"#
    );
}
