//! How the sync client trusts the server's certificate (SYNC.md §6.5): the platform's roots
//! (so a corporate CA the IT department installed works), plus — for a self-hosted server —
//! a CA given at connection, or instead the pin of the server's key.
//!
//! **A pinned connection trusts that key and nothing else**: the certificate may be
//! self-signed or for another name, but the handshake must be signed by the pinned key, so
//! only its holder can answer.

use std::sync::Arc;

use pdesk_core::sync::ServerTrust;
use pdesk_sync_proto::pin::Pin;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use crate::error::{SyncError, SyncResult};

/// Sets up `builder` to trust the server as `trust` says.
pub(crate) fn configure(
    builder: reqwest::blocking::ClientBuilder,
    trust: &ServerTrust,
) -> SyncResult<reqwest::blocking::ClientBuilder> {
    if let Some(pin) = &trust.pin {
        let pin: Pin = pin
            .parse()
            .map_err(|e: pdesk_sync_proto::pin::NotAPin| SyncError::BadAddress(e.0))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let algorithms = provider.signature_verification_algorithms;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| SyncError::Network(format!("TLS could not start: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedKey { pin, algorithms }))
            .with_no_client_auth();
        return Ok(builder.use_preconfigured_tls(config));
    }
    if let Some(pem) = &trust.ca_pem {
        let roots = ca_certificates(pem)?;
        return Ok(builder.tls_certs_merge(roots));
    }
    Ok(builder)
}

/// The certificates of a CA file, refused in words when it holds none.
pub fn ca_certificates(pem: &str) -> SyncResult<Vec<reqwest::Certificate>> {
    let roots = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
        .map_err(|e| SyncError::BadAddress(format!("the CA file is not a PEM certificate: {e}")))?;
    if roots.is_empty() {
        return Err(SyncError::BadAddress(
            "the CA file holds no certificate (expected -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(roots)
}

#[derive(Debug)]
struct PinnedKey {
    pin: Pin,
    algorithms: WebPkiSupportedAlgorithms,
}

/// The server's key is not the pinned one (shown in the connection's error).
struct PinMismatch {
    expected: Pin,
    seen: Option<Pin>,
}

impl std::fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seen {
            Some(seen) => write!(
                f,
                "the server's key is {seen}, not the pinned {}: another server (or someone in \
                 between) answered",
                self.expected
            ),
            None => write!(f, "the server's certificate does not read"),
        }
    }
}

/// rustls shows a certificate error with `Debug`: it reads as the sentence.
impl std::fmt::Debug for PinMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for PinMismatch {}

impl ServerCertVerifier for PinnedKey {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = Pin::of_certificate(end_entity);
        if seen == Some(self.pin) {
            return Ok(ServerCertVerified::assertion());
        }
        Err(rustls::Error::InvalidCertificate(CertificateError::Other(
            rustls::OtherError(Arc::new(PinMismatch {
                expected: self.pin,
                seen,
            })),
        )))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
