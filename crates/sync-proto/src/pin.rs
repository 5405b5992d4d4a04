//! A server's certificate pin: the SHA-256 of its public key (the certificate's
//! SubjectPublicKeyInfo, as HPKP and `openssl … | openssl dgst -sha256 -binary | base64` compute
//! it), written `sha256/<base64>`. A self-hosted server prints its pin when it starts over
//! HTTPS; a device given the pin trusts that key alone, whoever signed the certificate, and
//! keeps trusting it across renewals that keep the key.

use std::fmt;
use std::str::FromStr;

use crate::base64url;

/// The SHA-256 of a certificate's SubjectPublicKeyInfo.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pin(pub [u8; 32]);

const PREFIX: &str = "sha256/";

impl fmt::Display for Pin {
    /// `sha256/` and standard base64 with padding (the form openssl prints).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = base64url::encode(&self.0);
        let standard: String = url
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        write!(f, "{PREFIX}{standard}=")
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a text is not a pin, in words for the person who pasted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAPin(pub String);

impl fmt::Display for NotAPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAPin {}

impl FromStr for Pin {
    type Err = NotAPin;

    /// `sha256/` (optional) and the hash in base64, standard or URL-safe, padded or not;
    /// spaces around it are ignored.
    fn from_str(text: &str) -> Result<Pin, NotAPin> {
        let trimmed = text.trim();
        let hash = trimmed.strip_prefix(PREFIX).unwrap_or(trimmed);
        let url: String = hash
            .trim_end_matches('=')
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect();
        let bytes = base64url::decode(&url).ok_or_else(|| {
            NotAPin(format!(
                "“{trimmed}” is not a certificate pin: expected sha256/ and 44 characters of base64, \
                 as pdesk-server prints it"
            ))
        })?;
        let hash: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            NotAPin(format!(
                "“{trimmed}” is not a certificate pin: a SHA-256 has 32 bytes, this has {}",
                b.len()
            ))
        })?;
        Ok(Pin(hash))
    }
}

#[cfg(feature = "pin-hash")]
impl Pin {
    /// The pin of an X.509 certificate (DER); `None` when it does not parse.
    pub fn of_certificate(der: &[u8]) -> Option<Pin> {
        let der = rustls_pki_types::CertificateDer::from(der);
        let cert = webpki::EndEntityCert::try_from(&der).ok()?;
        let spki = cert.subject_public_key_info();
        let digest = ring::digest::digest(&ring::digest::SHA256, spki.as_ref());
        digest.as_ref().try_into().ok().map(Pin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_reads_back_from_its_text_in_either_base64() {
        let pin = Pin([0xfb; 32]);
        let text = pin.to_string();
        assert_eq!(text, "sha256/+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/v7+/s=");
        assert_eq!(text.parse::<Pin>(), Ok(pin));
        assert_eq!(
            " -_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s ".parse::<Pin>(),
            Ok(pin)
        );
    }

    #[test]
    fn a_text_that_is_not_a_pin_says_what_a_pin_looks_like() {
        let short = "sha256/AAAA".parse::<Pin>().unwrap_err();
        assert!(short.0.contains("32 bytes, this has 3"), "{short}");
        let junk = "sha256/not base64!".parse::<Pin>().unwrap_err();
        assert!(junk.0.contains("44 characters of base64"), "{junk}");
    }
}
