#include "service/core/storage/migrations.h"

namespace keyport {

const std::vector<std::vector<std::string>>& migrations() {
    static const std::vector<std::vector<std::string>> steps = {
        // 1: tenancy, credentials, keys, tags, import wrapping pairs, idempotency, audit.
        {
            "CREATE TABLE domains (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL)",
            // One project per domain and region, so "the domain's project in region R"
            // (CSMS replicas, NAVER/Exoscale region selection) is never ambiguous.
            "CREATE TABLE projects (id TEXT PRIMARY KEY,"
            " domain_id TEXT NOT NULL REFERENCES domains(id), region TEXT NOT NULL,"
            " created_at INTEGER NOT NULL, UNIQUE (domain_id, region))",
            // token_hash: SHA-256 of the X-Auth-Token. secret_blob: the SK as an
            // HMAC key wrapped under secret_region's KEK; signatures are checked on-token.
            "CREATE TABLE credentials (access_key TEXT PRIMARY KEY,"
            " domain_id TEXT NOT NULL REFERENCES domains(id),"
            " project_id TEXT NOT NULL REFERENCES projects(id), role TEXT NOT NULL,"
            " token_hash BLOB NOT NULL UNIQUE, secret_region TEXT NOT NULL,"
            " secret_blob BLOB NOT NULL, created_at INTEGER NOT NULL)",
            "CREATE TABLE keys (id TEXT PRIMARY KEY, domain_id TEXT NOT NULL,"
            " project_id TEXT NOT NULL, region TEXT NOT NULL, alias TEXT NOT NULL,"
            " description TEXT NOT NULL DEFAULT '', key_spec TEXT NOT NULL,"
            " key_usage TEXT NOT NULL, origin TEXT NOT NULL, state INTEGER NOT NULL,"
            " created_at_ms INTEGER NOT NULL, deletion_date_ms INTEGER,"
            " expiration_time INTEGER, unwrap_path TEXT, blob BLOB, public_spki BLOB,"
            " primary_key_id TEXT, UNIQUE (project_id, alias))",
            "CREATE INDEX keys_by_project ON keys (project_id, created_at_ms, id)",
            "CREATE INDEX keys_by_expiry ON keys (expiration_time)"
            " WHERE expiration_time IS NOT NULL",
            "CREATE TABLE key_tags (key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
            " tag_key TEXT NOT NULL, tag_value TEXT NOT NULL, PRIMARY KEY (key_id, tag_key))",
            "CREATE TABLE wrapping_pairs (id TEXT PRIMARY KEY, region TEXT NOT NULL,"
            " bits INTEGER NOT NULL, label TEXT NOT NULL, public_spki BLOB NOT NULL,"
            " host_decrypt INTEGER NOT NULL, created_at INTEGER NOT NULL,"
            " retired_at INTEGER, destroy_after INTEGER)",
            "CREATE TABLE idempotency (project_id TEXT NOT NULL, sequence TEXT NOT NULL,"
            " request_hash BLOB NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
            " created_at INTEGER NOT NULL, PRIMARY KEY (project_id, sequence))",
            "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
            " key_id TEXT, event TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')",
        },
        // 2: CSMS secrets. A replica is a secret whose primary_id names its primary; its
        // versions carry the primary's version ids and ciphertexts, with the data key
        // wrapped under the replica's own CMK.
        {
            "CREATE TABLE secrets (id TEXT PRIMARY KEY, domain_id TEXT NOT NULL,"
            " project_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
            " description TEXT NOT NULL DEFAULT '', kms_key_id TEXT NOT NULL,"
            " state TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
            " scheduled_delete_ms INTEGER, primary_id TEXT REFERENCES secrets(id),"
            " next_version INTEGER NOT NULL, UNIQUE (project_id, name))",
            "CREATE INDEX secrets_by_primary ON secrets (primary_id) WHERE primary_id IS NOT NULL",
            "CREATE TABLE secret_versions (secret_id TEXT NOT NULL REFERENCES secrets(id)"
            " ON DELETE CASCADE, version_id TEXT NOT NULL, seq INTEGER NOT NULL,"
            " created_ms INTEGER NOT NULL, kms_key_id TEXT NOT NULL, wrapped_data_key BLOB NOT "
            "NULL,"
            " iv BLOB NOT NULL, ciphertext BLOB NOT NULL, is_binary INTEGER NOT NULL,"
            " PRIMARY KEY (secret_id, version_id))",
            "CREATE TABLE secret_stages (secret_id TEXT NOT NULL REFERENCES secrets(id)"
            " ON DELETE CASCADE, stage TEXT NOT NULL, version_id TEXT NOT NULL,"
            " updated_ms INTEGER NOT NULL, PRIMARY KEY (secret_id, stage))",
        },
        // 3: Exoscale: multi-zone keys and persisted asynchronous operations.
        {
            "ALTER TABLE keys ADD COLUMN multi_zone INTEGER NOT NULL DEFAULT 0",
            "CREATE TABLE operations (id TEXT PRIMARY KEY, domain_id TEXT NOT NULL,"
            " project_id TEXT NOT NULL, kind TEXT NOT NULL, key_id TEXT NOT NULL, zone TEXT NOT "
            "NULL,"
            " state TEXT NOT NULL, reason TEXT, message TEXT, reference_id TEXT,"
            " created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL)",
            "CREATE INDEX operations_pending ON operations (state) WHERE state = 'pending'",
        },
        // 4: NAVER key tags (derived from the domain and key name, stable across migrate).
        {
            "ALTER TABLE keys ADD COLUMN key_tag TEXT",
            "CREATE INDEX keys_by_tag ON keys (project_id, key_tag) WHERE key_tag IS NOT NULL",
        },
        // 5: replica groups are looked up on every replicate and describe: index them.
        {
            "CREATE INDEX keys_by_primary ON keys (primary_key_id) WHERE primary_key_id IS NOT "
            "NULL",
        },
        // 6: an operation's failure is stored as core's ErrorCode name, not Exoscale's reason
        // word (the dialect names it when it answers); rewrite the rows of step 3's format.
        {
            "UPDATE operations SET reason = CASE reason"
            " WHEN 'conflict' THEN 'ReplicaExists' WHEN 'not-found' THEN 'KeyNotFound'"
            " WHEN 'forbidden' THEN 'Forbidden' WHEN 'incorrect' THEN 'InvalidParameter'"
            " WHEN 'unsupported' THEN 'KeyStateInvalid'"
            " WHEN 'interrupted' THEN 'OperationInterrupted' ELSE 'Internal' END"
            " WHERE reason IS NOT NULL",
        },
        // 7: Huawei KMS aliases (named aliases beside a key's own key_alias; one alias names one
        // key of its project and may be moved to another) and grants (another principal may
        // use a key for the listed operations; revoked and retired grants are deleted). Both
        // go with their key.
        {
            "CREATE TABLE kms_aliases (project_id TEXT NOT NULL, alias TEXT NOT NULL,"
            " domain_id TEXT NOT NULL,"
            " key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
            " created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
            " PRIMARY KEY (project_id, alias))",
            "CREATE INDEX kms_aliases_by_key ON kms_aliases (key_id)",
            "CREATE TABLE grants (id TEXT PRIMARY KEY,"
            " key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
            " name TEXT NOT NULL, grantee_kind TEXT NOT NULL, grantee TEXT NOT NULL,"
            " operations TEXT NOT NULL, issuing_principal TEXT NOT NULL,"
            " retiring_principal TEXT NOT NULL, created_ms INTEGER NOT NULL)",
            "CREATE INDEX grants_by_key ON grants (key_id, created_ms, id)",
            "CREATE INDEX grants_by_grantee ON grants (key_id, grantee)",
            "CREATE INDEX grants_by_retiring ON grants (retiring_principal, created_ms, id)",
        },
        // 8: Huawei's derived signing V11-HMAC-SHA256. Per credential, the HKDF
        // extract step of the SDK's derived key, PRK = HMAC-SHA256(AK, SK), as an on-token
        // HMAC key wrapped under the region KEK (credentials issued before this step have no
        // row and keep SDK-HMAC-SHA256 only).
        {
            "CREATE TABLE credential_derivation_keys (access_key TEXT PRIMARY KEY"
            " REFERENCES credentials(access_key) ON DELETE CASCADE, region TEXT NOT NULL,"
            " blob BLOB NOT NULL)",
        },
        // 9: key rotation: a key's current material has a version (keys.blob is version
        // material_version) and keeps every superseded version's blob (KWP under the region
        // KEK, as keys.blob) in key_versions, so ciphertexts that name an old version still
        // decrypt; plus the automatic-rotation policy (the interval counts from
        // rotation_since_ms; last_rotation_ms NULL = never rotated).
        {
            "ALTER TABLE keys ADD COLUMN material_version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE keys ADD COLUMN rotation_enabled INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE keys ADD COLUMN rotation_interval_days INTEGER NOT NULL DEFAULT 365",
            "ALTER TABLE keys ADD COLUMN rotation_since_ms INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE keys ADD COLUMN last_rotation_ms INTEGER",
            "CREATE TABLE key_versions (key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
            " version INTEGER NOT NULL, blob BLOB NOT NULL, PRIMARY KEY (key_id, version))",
            "CREATE INDEX keys_rotation_due ON keys (rotation_since_ms) WHERE rotation_enabled = 1",
        },
        // 10: CSMS as Huawei's SDK models it: a secret's type and rotation settings, a
        // version's expiry (UpdateVersion), and secret tags.
        {
            "ALTER TABLE secrets ADD COLUMN secret_type TEXT NOT NULL DEFAULT 'COMMON'",
            "ALTER TABLE secrets ADD COLUMN auto_rotation INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE secrets ADD COLUMN rotation_period TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE secrets ADD COLUMN rotation_config TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE secrets ADD COLUMN rotated_ms INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE secrets ADD COLUMN event_subscriptions TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE secrets ADD COLUMN enterprise_project_id TEXT NOT NULL DEFAULT '0'",
            "ALTER TABLE secret_versions ADD COLUMN expire_ms INTEGER NOT NULL DEFAULT 0",
            "CREATE TABLE secret_tags (secret_id TEXT NOT NULL REFERENCES secrets(id)"
            " ON DELETE CASCADE, tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,"
            " PRIMARY KEY (secret_id, tag_key))",
        },
        // 11: a CMK that protects secret versions can be rotated: each version records the
        // CMK material version that wrapped its data key (rows before this step were all
        // wrapped by version 1, since no key was rotated while secrets used it).
        {
            "ALTER TABLE secret_versions ADD COLUMN cmk_version INTEGER NOT NULL DEFAULT 1",
        },
        // 12: what Exoscale and NAVER show of a key: a revision that advances on every write
        // (Exoscale revision.seq), when its state last changed (NULL: at creation), and
        // NAVER's convergent encryption flag.
        {
            "ALTER TABLE keys ADD COLUMN convergent INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE keys ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE keys ADD COLUMN status_since_ms INTEGER",
        },
        // 13 (Exoscale revision.at, material and rotation history): when a key's row was
        // last written (NULL: never since creation), and one row per material version a
        // rotation made (version 1 is the key's creation), saying when and whether the
        // automatic rotation made it, so manual rotations can be counted and listed.
        {
            "ALTER TABLE keys ADD COLUMN revision_at_ms INTEGER",
            "CREATE TABLE key_material_events (key_id TEXT NOT NULL REFERENCES keys(id)"
            " ON DELETE CASCADE, version INTEGER NOT NULL, created_at_ms INTEGER NOT NULL,"
            " automatic INTEGER NOT NULL, PRIMARY KEY (key_id, version))",
        },
        // 14: NAVER's RSA2048 keys encrypt/decrypt AND sign/verify (KeyUsage::EncryptSign); those
        // made before were stored as encrypt/decrypt only (a keyTag marks a NAVER key).
        {
            "UPDATE keys SET key_usage = 'ENCRYPT_DECRYPT_SIGN_VERIFY' WHERE key_tag IS NOT NULL"
            " AND key_spec = 'RSA_2048' AND key_usage = 'ENCRYPT_DECRYPT'",
        },
        // 15: the audit trail's anchor: the latest seal keyportd wrote (seq and SHA-256 of its
        // line), kept outside the trail so that `keyport audit verify` can tell a trail cut
        // back to an earlier seal. One row.
        {
            "CREATE TABLE audit_anchor (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " seq INTEGER NOT NULL, line_hash TEXT NOT NULL, at_ms INTEGER NOT NULL)",
        },
        // 16: the change feed (change_feed_store.h): one row per committed change of a cached
        // row, so another process sharing the database drops its cached copy (keyportd
        // polls it each second). AUTOINCREMENT: a seq is never reused, even after pruning.
        {
            "CREATE TABLE change_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
            " id TEXT NOT NULL, at_ms INTEGER NOT NULL)",
            "CREATE INDEX change_feed_at ON change_feed (at_ms)",
        },
        // 17: KEK rollovers (`keyport ceremony rollover`): per region, the new KEK's
        // generation, the state (requested -> running -> retiring -> done, or failed), the
        // walk's cursor (last rowid) in each blob table so a crash resumes there, counts and
        // times. At most one unfinished rollover per region.
        {
            "CREATE TABLE kek_rollovers (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " region TEXT NOT NULL, generation INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,"
            " runner TEXT NOT NULL, cursor_keys INTEGER NOT NULL DEFAULT 0,"
            " cursor_key_versions INTEGER NOT NULL DEFAULT 0,"
            " cursor_credentials INTEGER NOT NULL DEFAULT 0,"
            " cursor_derivation_keys INTEGER NOT NULL DEFAULT 0,"
            " resealed INTEGER NOT NULL DEFAULT 0, already_current INTEGER NOT NULL DEFAULT 0,"
            " total INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0,"
            " requested_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
            " walk_started_ms INTEGER, finished_ms INTEGER,"
            " walk_seconds REAL NOT NULL DEFAULT 0, token_rate REAL NOT NULL DEFAULT 0,"
            " error TEXT)",
            "CREATE UNIQUE INDEX kek_rollovers_active ON kek_rollovers (region)"
            " WHERE state IN ('requested', 'running', 'retiring')",
        },
    };
    return steps;
}

}  // namespace keyport
