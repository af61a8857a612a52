//! Compressed text inside scripts: deflate (zlib format) then base64, which the browser turns
//! back with `DecompressionStream("deflate")`. This is how the print pack (also the source
//! of search snippets) stays small and still works from `file://` (no `fetch`).

use std::io::Write;

/// `data` compressed (zlib level 4: on the 10,000-document corpus the print pack is 37%
/// smaller than at level 1 for ~0.15 s more CPU; level 6 would cost ~1 s more) and
/// base64-encoded. The same input gives the same output.
pub fn deflate_base64(data: &[u8]) -> String {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::new(4),
    );
    let compressed = encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .unwrap_or_default();
    base64(&compressed)
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn base64_and_deflate_round_trip() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        let text = "the manual ".repeat(100);
        let packed = deflate_base64(text.as_bytes());
        assert!(packed.len() < text.len() / 4, "{}", packed.len());
        assert_eq!(packed, deflate_base64(text.as_bytes()), "deterministic");
        let decoded = decode_base64(&packed);
        let mut out = String::new();
        flate2::read::ZlibDecoder::new(&decoded[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }

    fn decode_base64(text: &str) -> Vec<u8> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap()
    }
}
