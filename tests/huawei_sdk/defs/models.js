'use strict';
// Shapes of the SDK models several operations share (huaweicloud-sdk-nodejs-v3
// services/kms/v2/model/*.ts, services/csms/v1/model/*.ts; types as the TypeScript fields
// declare them, with 'numstr' / 'boolstr' where Huawei's string holds a number / a flag).

// model/KeyDetails.ts
const KeyDetails = {
  key_id: 'string',
  domain_id: 'string',
  key_alias: 'string',
  realm: 'string',
  key_spec: 'string',
  key_usage: 'string',
  key_description: 'string',
  creation_date: 'numstr',
  scheduled_deletion_date: 'string',
  key_state: 'numstr',
  default_key_flag: 'numstr',
  key_type: 'numstr',
  expiration_time: 'string',
  origin: 'string',
  key_rotation_enabled: 'boolstr',
  sys_enterprise_project_id: 'string',
  keystore_id: 'string',
  key_label: 'string',
  partition_type: 'string',
};

// model/TagItem.ts
const TagItem = { key: 'string', value: 'string' };

// csms model/Secret.ts
const Secret = {
  id: 'string',
  name: 'string',
  state: 'string',
  kms_key_id: 'string',
  description: 'string',
  create_time: 'number',
  update_time: 'number',
  scheduled_delete_time: 'number',
  secret_type: 'string',
  auto_rotation: 'boolean',
  rotation_period: 'string',
  rotation_config: 'string',
  rotation_time: 'number',
  next_rotation_time: 'number',
  event_subscriptions: ['string'],
  enterprise_project_id: 'string',
  rotation_func_urn: 'string',
};

// csms model/VersionMetadata.ts
const VersionMetadata = {
  id: 'string',
  create_time: 'number',
  expire_time: 'number',
  kms_key_id: 'string',
  secret_name: 'string',
  version_stages: ['string'],
};

// csms model/Stage.ts
const Stage = { name: 'string', update_time: 'number', secret_name: 'string', version_id: 'string' };

// csms model/PageInfo.ts
const PageInfo = { next_marker: 'string', previous_marker: 'string', current_count: 'number' };

module.exports = { KeyDetails, TagItem, Secret, VersionMetadata, Stage, PageInfo };
