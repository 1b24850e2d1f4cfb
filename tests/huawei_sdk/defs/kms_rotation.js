'use strict';
// KMS key rotation (KmsClient.ts: enableKeyRotation, disableKeyRotation, showKeyRotationStatus,
// updateKeyRotationInterval; model/OperateKeyRequestBody.ts, model/UpdateKeyRotationIntervalRequestBody.ts,
// model/ShowKeyRotationStatusResponse.ts), and rotate-on-demand from Huawei's API reference.
const P = '/v1.0/{project_id}/kms';

module.exports = [
  {
    sdk: 'enableKeyRotation', area: 'kms-rotation', method: 'POST', path: `${P}/enable-key-rotation`,
    model: 'OperateKeyRequestBody / EnableKeyRotationResponse',
    body: (c) => ({ key_id: c.vars.aesKey }),
    response: {},
  },
  {
    sdk: 'updateKeyRotationInterval', area: 'kms-rotation', method: 'POST', path: `${P}/update-key-rotation-interval`,
 model: 'UpdateKeyRotationIntervalRequestBody / UpdateKeyRotationIntervalResponse',
    body: (c) => ({ key_id: c.vars.aesKey, rotation_interval: 30 }),
    response: {},
  },
  {
    sdk: 'updateKeyRotationInterval', case: 'interval 29', area: 'kms-rotation', method: 'POST',
    path: `${P}/update-key-rotation-interval`, model: 'UpdateKeyRotationIntervalRequestBody',
    body: (c) => ({ key_id: c.vars.aesKey, rotation_interval: 29 }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'showKeyRotationStatus', area: 'kms-rotation', method: 'POST', path: `${P}/get-key-rotation-status`,
    model: 'OperateKeyRequestBody / ShowKeyRotationStatusResponse',
    body: (c) => ({ key_id: c.vars.aesKey }),
    response: { key_rotation_enabled: 'boolean', rotation_interval: 'number', last_rotation_time: 'string',
      number_of_rotations: 'number' },
  },
  {
    sdk: 'rotateKeyOnDemand', area: 'kms-rotation', method: 'POST', path: `${P}/rotate-on-demand`,
    model: 'OperateKeyRequestBody (no SDK model in 3.1.209; path and {key_id} answer from Huawei\'s API reference api-dew/RotateOnDemand)',
    body: (c) => ({ key_id: c.vars.aesKey }),
    response: { key_id: 'string' },
  },
  {
    sdk: 'enableKeyRotation', case: 'imported key refuses rotation', area: 'kms-rotation', method: 'POST',
    path: `${P}/enable-key-rotation`, model: 'OperateKeyRequestBody', needs: ['byokKey'],
    body: (c) => ({ key_id: c.vars.byokKey }),
    error: { status: 400, code: 'KMS.0312' },
  },
  {
    sdk: 'disableKeyRotation', area: 'kms-rotation', method: 'POST', path: `${P}/disable-key-rotation`,
    model: 'OperateKeyRequestBody / DisableKeyRotationResponse',
    body: (c) => ({ key_id: c.vars.aesKey }),
    response: {},
  },
];
