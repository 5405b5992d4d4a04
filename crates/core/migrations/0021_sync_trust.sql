-- How this device trusts its server's certificate beyond the platform's roots (issue 13,
-- SYNC.md §6.5): a self-hosted server's CA (PEM text; certificates are public) or the pin of
-- its key (`sha256/…`). Both NULL: the platform's roots alone, as for any HTTPS site.
ALTER TABLE sync_state ADD COLUMN trust_ca_pem TEXT;
ALTER TABLE sync_state ADD COLUMN trust_pin TEXT;
