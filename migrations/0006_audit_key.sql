-- Keyed audit chain (issue 9 finding 10). A record's hash becomes an HMAC-SHA-256 under a key that lives
-- outside the database (AUDIT_KEY, or DATA_DIR/audit.key), so a database owner can no longer re-hash the
-- chain forward after changing a record. `key_id` names the key (a hash of it, never the key itself);
-- null marks a record written before this migration with plain SHA-256. Such records are accepted only
-- as the start of the chain, before the first keyed one.
alter table audit_log add column key_id text;
