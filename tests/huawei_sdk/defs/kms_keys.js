'use strict';
// KMS key lifecycle and queries (services/kms/v2/KmsClient.ts request builders; request bodies
// from model/*RequestBody.ts, response shapes from model/*Response.ts).
const { KeyDetails } = require('./models');

const P = '/v1.0/{project_id}/kms';

module.exports = [
  {
    sdk: 'createKey', area: 'kms-keys', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody / CreateKeyResponse',
    body: (c) => ({ key_alias: c.uniq('sdk-aes'), key_spec: 'AES_256', key_usage: 'ENCRYPT_DECRYPT',
      key_description: 'conformance', origin: 'kms' }),
    response: { key_info: { key_id: 'string', domain_id: 'string' } },
    save: (c, r) => { c.vars.aesKey = r.key_info.key_id; },
  },
  {
    sdk: 'createKey', case: 'EC_P256 SIGN_VERIFY', area: 'kms-keys', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody / CreateKeyResponse',
    body: (c) => ({ key_alias: c.uniq('sdk-ec'), key_spec: 'EC_P256', key_usage: 'SIGN_VERIFY' }),
    response: { key_info: { key_id: 'string', domain_id: 'string' } },
    save: (c, r) => { c.vars.ecKey = r.key_info.key_id; },
  },
  {
    sdk: 'createKey', case: 'EC_P256 KEY_AGREEMENT', area: 'kms-keys', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody / CreateKeyResponse (key_usage is a string in the model; KEY_AGREEMENT as AWS names it)',
    body: (c) => ({ key_alias: c.uniq('sdk-ecdh'), key_spec: 'EC_P256', key_usage: 'KEY_AGREEMENT' }),
    response: { key_info: { key_id: 'string', domain_id: 'string' } },
    save: (c, r) => { c.vars.ecdhKey = r.key_info.key_id; },
  },
  {
    sdk: 'createKey', case: 'RSA_2048 ENCRYPT_DECRYPT', area: 'kms-keys', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody / CreateKeyResponse',
    body: (c) => ({ key_alias: c.uniq('sdk-rsa'), key_spec: 'RSA_2048', key_usage: 'ENCRYPT_DECRYPT' }),
    response: { key_info: { key_id: 'string', domain_id: 'string' } },
    save: (c, r) => { c.vars.rsaKey = r.key_info.key_id; },
  },
  {
    sdk: 'createKey', case: 'bad key_spec', area: 'kms-keys', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody',
    body: (c) => ({ key_alias: c.uniq('sdk-bad'), key_spec: 'AES_512' }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'createKey', case: 'key_alias missing', area: 'kms-keys', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody',
    body: () => ({ key_spec: 'AES_256' }),
    error: { status: 400, code: 'KMS.0204' },
  },
  {
    sdk: 'listKeyDetail', area: 'kms-keys', method: 'POST', path: `${P}/describe-key`,
    model: 'OperateKeyRequestBody / ListKeyDetailResponse',
    body: (c) => ({ key_id: c.vars.aesKey }),
    response: { key_info: KeyDetails },
    check: (c, r) => r.key_info.key_state === '2' || `key_state ${r.key_info.key_state}, want "2"`,
  },
  {
    sdk: 'listKeyDetail', case: 'unknown key', area: 'kms-keys', method: 'POST', path: `${P}/describe-key`,
    model: 'OperateKeyRequestBody',
    body: () => ({ key_id: '00000000-0000-4000-8000-000000000000' }),
    error: { status: 404, code: 'KMS.0207' },
  },
  {
    sdk: 'listKeyDetail', case: 'malformed key_id', area: 'kms-keys', method: 'POST', path: `${P}/describe-key`,
    model: 'OperateKeyRequestBody',
    body: () => ({ key_id: 'not-a-key' }),
    error: { status: 400, code: 'KMS.0205' },
  },
  {
    sdk: 'listKeyDetail', case: 'another domain\'s key', area: 'kms-keys', method: 'POST', path: `${P}/describe-key`,
    model: 'OperateKeyRequestBody', client: 'other',
    body: (c) => ({ key_id: c.vars.aesKey }),
    error: { status: 404, code: 'KMS.0207' },
  },
  {
    sdk: 'listKeys', area: 'kms-keys', method: 'POST', path: `${P}/list-keys`,
    model: 'ListKeysRequestBody / ListKeysResponse',
    body: () => ({ limit: '2', key_spec: 'ALL' }),
    response: { keys: ['string'], key_details: [KeyDetails], next_marker: 'string', truncated: 'boolstr', total: 'number' },
    check: (c, r) => (r.keys.length === 2 && r.truncated === 'true') || `keys ${r.keys.length}, truncated ${r.truncated}`,
    save: (c, r) => { c.vars.listMarker = r.next_marker; },
  },
  {
    sdk: 'listKeys', case: 'marker', area: 'kms-keys', method: 'POST', path: `${P}/list-keys`,
    model: 'ListKeysRequestBody / ListKeysResponse',
    body: (c) => ({ limit: '1', marker: c.vars.listMarker }),
    response: { keys: ['string'], key_details: [KeyDetails], next_marker: 'string', truncated: 'boolstr', total: 'number' },
    check: (c, r) => r.keys.length === 1 || `keys ${r.keys.length}`,
  },
  {
    sdk: 'listKeys', case: 'key_spec EC_P256', area: 'kms-keys', method: 'POST', path: `${P}/list-keys`,
    model: 'ListKeysRequestBody / ListKeysResponse',
    body: () => ({ key_spec: 'EC_P256', limit: 1000 }),
    response: { keys: ['string'], key_details: [KeyDetails], next_marker: 'string', truncated: 'boolstr', total: 'number' },
    check: (c, r) => (r.keys.includes(c.vars.ecKey) && r.key_details.every((k) => k.key_spec === 'EC_P256')
      && r.total === r.keys.length) || `filter not applied: ${r.key_details.map((k) => k.key_spec)}`,
  },
  {
    sdk: 'listKeys', case: 'key_state 5', area: 'kms-keys', method: 'POST', path: `${P}/list-keys`,
    model: 'ListKeysRequestBody / ListKeysResponse',
    body: () => ({ key_state: '5' }),
    response: { keys: ['string'], key_details: [KeyDetails], next_marker: 'string', truncated: 'boolstr', total: 'number' },
    check: (c, r) => r.key_details.every((k) => k.key_state === '5') || `states ${r.key_details.map((k) => k.key_state)}`,
  },
  {
    sdk: 'listKeys', case: 'bad key_state', area: 'kms-keys', method: 'POST', path: `${P}/list-keys`,
    model: 'ListKeysRequestBody',
    body: () => ({ key_state: '9' }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'disableKey', area: 'kms-keys', method: 'POST', path: `${P}/disable-key`,
    model: 'OperateKeyRequestBody / DisableKeyResponse (KeyStatusInfo)',
    body: (c) => ({ key_id: c.vars.rsaKey }),
    response: { key_info: { key_id: 'string', key_state: 'numstr' } },
    check: (c, r) => r.key_info.key_state === '3' || `key_state ${r.key_info.key_state}`,
  },
  {
    sdk: 'enableKey', area: 'kms-keys', method: 'POST', path: `${P}/enable-key`,
    model: 'OperateKeyRequestBody / EnableKeyResponse (KeyStatusInfo)',
    body: (c) => ({ key_id: c.vars.rsaKey }),
    response: { key_info: { key_id: 'string', key_state: 'numstr' } },
    check: (c, r) => r.key_info.key_state === '2' || `key_state ${r.key_info.key_state}`,
  },
  {
    sdk: 'updateKeyAlias', area: 'kms-keys', method: 'POST', path: `${P}/update-key-alias`,
    model: 'UpdateKeyAliasRequestBody / UpdateKeyAliasResponse (KeyAliasInfo)',
    body: (c) => ({ key_id: c.vars.rsaKey, key_alias: c.uniq('sdk-renamed') }),
    response: { key_info: { key_id: 'string', key_alias: 'string' } },
  },
  {
    sdk: 'updateKeyDescription', area: 'kms-keys', method: 'POST', path: `${P}/update-key-description`,
    model: 'UpdateKeyDescriptionRequestBody / UpdateKeyDescriptionResponse (KeyDescriptionInfo)',
    body: (c) => ({ key_id: c.vars.rsaKey, key_description: 'described by the SDK' }),
    response: { key_info: { key_id: 'string', key_description: 'string' } },
    check: (c, r) => r.key_info.key_description === 'described by the SDK' || 'description not kept',
  },
  {
    sdk: 'updateKeyDescription', case: 'description too long', area: 'kms-keys', method: 'POST',
    path: `${P}/update-key-description`, model: 'UpdateKeyDescriptionRequestBody',
    body: (c) => ({ key_id: c.vars.rsaKey, key_description: 'x'.repeat(256) }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'deleteKey', area: 'kms-keys', method: 'POST', path: `${P}/schedule-key-deletion`,
    model: 'ScheduleKeyDeletionRequestBody / DeleteKeyResponse',
    body: (c) => ({ key_id: c.vars.rsaKey, pending_days: '7' }),
    response: { key_id: 'string', key_state: 'numstr' },
    check: (c, r) => r.key_state === '4' || `key_state ${r.key_state}`,
  },
  {
    sdk: 'deleteKey', case: 'pending_days 6', area: 'kms-keys', method: 'POST', path: `${P}/schedule-key-deletion`,
    model: 'ScheduleKeyDeletionRequestBody',
    body: (c) => ({ key_id: c.vars.aesKey, pending_days: '6' }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'cancelKeyDeletion', area: 'kms-keys', method: 'POST', path: `${P}/cancel-key-deletion`,
    model: 'OperateKeyRequestBody / CancelKeyDeletionResponse',
    body: (c) => ({ key_id: c.vars.rsaKey }),
    response: { key_id: 'string', key_state: 'numstr' },
  },
  {
    sdk: 'replicateKey', area: 'kms-keys', method: 'POST', path: '/v2/{project_id}/kms/keys/{key_id}/replicate',
    model: 'ReplicateKeyRequestBody / ReplicateKeyResponse',
    needs: ['replicaProject'],
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    body: (c) => ({ replica_region: c.env.replicaRegion, key_alias: c.uniq('sdk-replica'),
      key_description: 'replica', replica_project_id: c.env.replicaProject }),
    response: { key_id: 'string', domain_id: 'string', region: 'string' },
  },
];
