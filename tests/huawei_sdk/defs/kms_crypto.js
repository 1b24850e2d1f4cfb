'use strict';
// KMS crypto, data keys and BYOK import (KmsClient.ts builders; model/*RequestBody.ts and
// model/*Response.ts). Results are checked with Node's crypto where a client could.
const crypto = require('crypto');

const P = '/v1.0/{project_id}/kms';
const digest = crypto.createHash('sha256').update('pay 100 to bob').digest();

module.exports = [
  {
    sdk: 'encryptData', area: 'kms-crypto', method: 'POST', path: `${P}/encrypt-data`,
    model: 'EncryptDataRequestBody / EncryptDataResponse',
    body: (c) => ({ key_id: c.vars.aesKey, plain_text: 'hello, HSM', encryption_algorithm: 'SYMMETRIC_DEFAULT',
      additional_authenticated_data: 'ctx-1' }),
    response: { key_id: 'string', cipher_text: 'string' },
    save: (c, r) => { c.vars.cipherText = r.cipher_text; },
  },
  {
    sdk: 'decryptData', area: 'kms-crypto', method: 'POST', path: `${P}/decrypt-data`,
    model: 'DecryptDataRequestBody / DecryptDataResponse',
    body: (c) => ({ cipher_text: c.vars.cipherText, additional_authenticated_data: 'ctx-1' }),
    response: { key_id: 'string', plain_text: 'string', plain_text_base64: 'string' },
    check: (c, r) => (r.plain_text === 'hello, HSM'
      && Buffer.from(r.plain_text_base64, 'base64').toString() === 'hello, HSM') || 'plaintext differs',
  },
  {
    sdk: 'decryptData', case: 'tampered ciphertext', area: 'kms-crypto', method: 'POST', path: `${P}/decrypt-data`,
    model: 'DecryptDataRequestBody',
    body: (c) => {
      const b = Buffer.from(c.vars.cipherText, 'base64');
      b[b.length - 1] ^= 1;
      return { cipher_text: b.toString('base64'), additional_authenticated_data: 'ctx-1' };
    },
    error: { status: 400 },
  },
  {
    sdk: 'encryptData', case: 'another domain\'s key', area: 'kms-crypto', method: 'POST', path: `${P}/encrypt-data`,
    model: 'EncryptDataRequestBody', client: 'other',
    body: (c) => ({ key_id: c.vars.aesKey, plain_text: 'x' }),
    error: { status: 404, code: 'KMS.0207' },
  },
  {
    sdk: 'createDatakey', area: 'kms-crypto', method: 'POST', path: `${P}/create-datakey`,
    model: 'CreateDatakeyRequestBody / CreateDatakeyResponse',
    body: (c) => ({ key_id: c.vars.aesKey, key_spec: 'AES_256', datakey_length: '256' }),
    response: { key_id: 'string', plain_text: 'string', cipher_text: 'string' },
    check: (c, r) => /^[0-9A-Fa-f]{64}$/.test(r.plain_text) || 'plain_text is not 32 bytes of hex',
    save: (c, r) => { c.vars.dataKey = r.plain_text; c.vars.dataKeyCipher = r.cipher_text; },
  },
  {
    sdk: 'createDatakeyWithoutPlaintext', area: 'kms-crypto', method: 'POST',
    path: `${P}/create-datakey-without-plaintext`,
    model: 'CreateDatakeyRequestBody / CreateDatakeyWithoutPlaintextResponse',
    body: (c) => ({ key_id: c.vars.aesKey, datakey_length: '512' }),
    response: { key_id: 'string', cipher_text: 'string' },
  },
  {
    sdk: 'decryptDatakey', area: 'kms-crypto', method: 'POST', path: `${P}/decrypt-datakey`,
    model: 'DecryptDatakeyRequestBody / DecryptDatakeyResponse',
    body: (c) => ({ key_id: c.vars.aesKey, cipher_text: c.vars.dataKeyCipher, datakey_cipher_length: '32' }),
    response: { data_key: 'string', datakey_length: 'numstr', datakey_dgst: 'string' },
    check: (c, r) => (r.data_key.toLowerCase() === c.vars.dataKey.toLowerCase()
      && r.datakey_dgst.toLowerCase() === crypto.createHash('sha256').update(Buffer.from(r.data_key, 'hex')).digest('hex'))
      || 'data key or digest differs',
  },
  {
    sdk: 'encryptDatakey', area: 'kms-crypto', method: 'POST', path: `${P}/encrypt-datakey`,
    model: 'EncryptDatakeyRequestBody / EncryptDatakeyResponse',
    body: (c) => {
      const k = crypto.randomBytes(32);
      const plain = Buffer.concat([k, crypto.createHash('sha256').update(k).digest()]).toString('hex');
      return { key_id: c.vars.aesKey, plain_text: plain, datakey_plain_length: '32' };
    },
    response: { key_id: 'string', cipher_text: 'string', datakey_length: 'numstr' },
  },
  {
    sdk: 'createRandom', area: 'kms-crypto', method: 'POST', path: `${P}/gen-random`,
    model: 'GenRandomRequestBody / CreateRandomResponse',
    body: () => ({ random_data_length: '512' }),
    response: { random_data: 'string' },
    check: (c, r) => /^[0-9A-Fa-f]{128}$/.test(r.random_data) || 'not 64 bytes of hex',
  },
  {
    sdk: 'createRandom', case: 'length 8193', area: 'kms-crypto', method: 'POST', path: `${P}/gen-random`,
    model: 'GenRandomRequestBody',
    body: () => ({ random_data_length: '8193' }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'showPublicKey', area: 'kms-crypto', method: 'POST', path: `${P}/get-publickey`,
    model: 'OperateKeyRequestBody / ShowPublicKeyResponse',
    body: (c) => ({ key_id: c.vars.ecKey }),
    response: { key_id: 'string', public_key: 'string' },
    save: (c, r) => { c.vars.ecPublicPem = r.public_key; },
  },
  {
    sdk: 'sign', area: 'kms-crypto', method: 'POST', path: `${P}/sign`,
    model: 'SignRequestBody / SignResponse',
    body: (c) => ({ key_id: c.vars.ecKey, message: digest.toString('base64'), signing_algorithm: 'ECDSA_SHA_256',
      message_type: 'DIGEST' }),
    response: { key_id: 'string', signature: 'string' },
    check: (c, r) => {
      c.vars.signature = r.signature;
      // As a client checks it: SHA-256 over the message, the DER signature, the PEM key.
      const ok = crypto.verify('sha256', Buffer.from('pay 100 to bob'), c.vars.ecPublicPem,
        Buffer.from(r.signature, 'base64'));
      return ok || 'signature does not verify with Node crypto';
    },
  },
  {
    sdk: 'validateSignature', area: 'kms-crypto', method: 'POST', path: `${P}/verify`,
    model: 'VerifyRequestBody / ValidateSignatureResponse',
    body: (c) => ({ key_id: c.vars.ecKey, message: digest.toString('base64'), signature: c.vars.signature,
      signing_algorithm: 'ECDSA_SHA_256', message_type: 'DIGEST' }),
    response: { key_id: 'string', signature_valid: 'boolstr' },
    check: (c, r) => r.signature_valid === 'true' || `signature_valid ${r.signature_valid}`,
  },
  {
    sdk: 'sign', case: 'unknown algorithm', area: 'kms-crypto', method: 'POST', path: `${P}/sign`,
    model: 'SignRequestBody',
    body: (c) => ({ key_id: c.vars.ecKey, message: digest.toString('base64'), signing_algorithm: 'ECDSA_SHA_1' }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'createKey', case: 'origin external (for import)', area: 'kms-crypto', method: 'POST', path: `${P}/create-key`,
    model: 'CreateKeyRequestBody / CreateKeyResponse',
    body: (c) => ({ key_alias: c.uniq('sdk-byok'), origin: 'external' }),
    response: { key_info: { key_id: 'string', domain_id: 'string' } },
    save: (c, r) => { c.vars.byokKey = r.key_info.key_id; },
  },
  {
    sdk: 'createParametersForImport', area: 'kms-crypto', method: 'POST', path: `${P}/get-parameters-for-import`,
    model: 'GetParametersForImportRequestBody / CreateParametersForImportResponse',
    body: (c) => ({ key_id: c.vars.byokKey, wrapping_algorithm: 'RSAES_OAEP_SHA_1', wrapping_key_spec: 'RSA_2048' }),
    response: { key_id: 'string', import_token: 'string', expiration_time: 'number', public_key: 'string' },
    save: (c, r) => { c.vars.importParams = r; },
  },
  {
    sdk: 'importKeyMaterial', area: 'kms-crypto', method: 'POST', path: `${P}/import-key-material`,
    model: 'ImportKeyMaterialRequestBody / ImportKeyMaterialResponse',
    body: (c) => {
      const pub = crypto.createPublicKey({ key: Buffer.from(c.vars.importParams.public_key, 'base64'),
        format: 'der', type: 'spki' });
      const wrapped = crypto.publicEncrypt({ key: pub, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha1' }, crypto.randomBytes(32));
      return { key_id: c.vars.byokKey, import_token: c.vars.importParams.import_token,
        encrypted_key_material: wrapped.toString('base64') };
    },
    response: {},
  },
  {
    sdk: 'importKeyMaterial', case: 'bad import_token', area: 'kms-crypto', method: 'POST', path: `${P}/import-key-material`,
    model: 'ImportKeyMaterialRequestBody',
    body: (c) => ({ key_id: c.vars.byokKey, import_token: 'A'.repeat(200),
      encrypted_key_material: 'A'.repeat(344) }),
    error: { status: 400 },
  },
  {
    sdk: 'deleteImportedKeyMaterial', area: 'kms-crypto', method: 'POST', path: `${P}/delete-imported-key-material`,
    model: 'OperateKeyRequestBody / DeleteImportedKeyMaterialResponse',
    body: (c) => ({ key_id: c.vars.byokKey }),
    response: {},
  },
  // Operations other helpers add (issue 10, "Missing operations"): run when served.
  {
    sdk: 'reEncrypt', area: 'kms-crypto', method: 'POST', path: `${P}/re-encrypt`,
    model: 'ReEncryptRequestBody / ReEncryptResponse (KmsClient.ts reEncrypt: POST /v1.0/{project_id}/kms/re-encrypt)',
    body: (c) => ({ cipher_text: c.vars.cipherText, source_additional_authenticated_data: 'ctx-1',
      destination_key_id: c.vars.aesKey, destination_encryption_algorithm: 'SYMMETRIC_DEFAULT' }),
    response: { key_id: 'string', source_key_id: 'string', source_encryption_algorithm: 'string',
      destination_encryption_algorithm: 'string', cipher_text: 'string' },
    check: (c, r) => (r.key_id === c.vars.aesKey && r.source_key_id === c.vars.aesKey
      && r.destination_encryption_algorithm === 'SYMMETRIC_DEFAULT' && r.cipher_text !== c.vars.cipherText)
      || 'key ids, algorithm or ciphertext not as re-encrypted',
  },
  {
    sdk: 'createRsaDatakeyPair', area: 'kms-crypto', method: 'POST', path: `${P}/create-rsa-datakey-pair`,
 model: 'CreateRsaDatakeyPairRequestBody / CreateRsaDatakeyPairResponse',
    body: (c) => ({ key_id: c.vars.aesKey, key_spec: 'RSA_2048', with_plain_text: true,
      additional_authenticated_data: 'pair-ctx' }),
    response: { key_id: 'string', key_spec: 'string', public_key: 'string', private_key_cipher_text: 'string',
      private_key_plain_text: 'string', 'wrapped_private_key?': 'string', 'ciphertext_recipient?': 'string' },
  },
  {
    sdk: 'createEcDatakeyPair', area: 'kms-crypto', method: 'POST', path: `${P}/create-ec-datakey-pair`,
 model: 'CreateEcDatakeyPairRequestBody / CreateEcDatakeyPairResponse',
    body: (c) => ({ key_id: c.vars.aesKey, key_spec: 'ECC_NIST_P256', with_plain_text: false }),
    response: { key_id: 'string', key_spec: 'string', public_key: 'string', private_key_cipher_text: 'string',
      'private_key_plain_text?': 'string' },
    check: (c, r) => !r.private_key_plain_text || 'plaintext private key returned though with_plain_text is false',
  },
  {
    sdk: 'createKey', case: 'HMAC_256 (for MAC)', area: 'kms-crypto', method: 'POST', path: `${P}/create-key`,
 model: 'CreateKeyRequestBody / CreateKeyResponse',
    body: (c) => ({ key_alias: c.uniq('sdk-hmac'), key_spec: 'HMAC_256', key_usage: 'GENERATE_VERIFY_MAC' }),
    response: { key_info: { key_id: 'string', domain_id: 'string' } },
    save: (c, r) => { c.vars.hmacKey = r.key_info.key_id; },
  },
  {
    sdk: 'generateMac', area: 'kms-crypto', method: 'POST', path: `${P}/generate-mac`,
    model: 'GenerateMacRequestBody / GenerateMacResponse', needs: ['hmacKey'],
    body: (c) => ({ key_id: c.vars.hmacKey, mac_algorithm: 'HMAC_SHA_256', message: Buffer.from('m').toString('base64') }),
    response: { key_id: 'string', mac_algorithm: 'string', mac: 'string' },
    save: (c, r) => { c.vars.mac = r.mac; },
  },
  {
    sdk: 'verifyMac', area: 'kms-crypto', method: 'POST', path: `${P}/verify-mac`,
    model: 'VerifyMacRequestBody / VerifyMacResponse', needs: ['hmacKey', 'mac'],
    body: (c) => ({ key_id: c.vars.hmacKey, mac_algorithm: 'HMAC_SHA_256', message: Buffer.from('m').toString('base64'),
      mac: c.vars.mac }),
    response: { key_id: 'string', mac_algorithm: 'string', mac_valid: 'boolean' },
    check: (c, r) => r.mac_valid === true || 'mac_valid is not true',
  },
  {
    sdk: 'deriveSharedSecret', area: 'kms-crypto', method: 'POST', path: `${P}/derive-shared-secret`,
 model: 'DeriveSharedSecretRequestBody / DeriveSharedSecretResponse',
    body: (c) => {
      const peer = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { key_id: c.vars.ecdhKey, key_agreement_algorithm: 'ECDH',
        public_key: peer.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
    },
    response: { key_id: 'string', key_agreement_algorithm: 'string', shared_secret: 'string' },
  },
];
