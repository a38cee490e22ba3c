//! Hand-written servers for what a real server framework will not do on purpose: answer
//! with a hostile body, or judge a CORS Origin the wrong way. Each runs on 127.0.0.1 port 0,
//! one thread a connection, and ends when its client hangs up.

use std::io::Read;
use std::net::{TcpListener, TcpStream};

/// Serves every connection with `handle`, which gets the request head as text. Returns the
/// port.
pub fn serve(handle: impl Fn(TcpStream, &str) + Send + Sync + Copy + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                if let Some(head) = read_head(&mut stream) {
                    handle(stream, &head);
                }
            });
        }
    });
    port
}

/// The request line and headers, up to the blank line; `None` when the client hung up first.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}
