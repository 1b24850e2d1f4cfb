'use strict';
// KMS tags, aliases and grants (KmsClient.ts builders; model/CreateKmsTagRequestBody.ts,
// ShowKmsTagsResponse.ts, BatchCreateKmsTagsRequestBody.ts, ListKmsByTagsRequestBody.ts,
// ListKmsTagsResponse.ts, CreateAliasRequestBody.ts, ListAliasesResponse.ts,
// CreateGrantRequestBody.ts, ListGrantsResponse.ts, RevokeGrantRequestBody.ts).
const { KeyDetails, TagItem } = require('./models');

// model/AliasEntity.ts (CreateAliasResponse.ts has the same fields).
const AliasEntity = { domain_id: 'string', key_id: 'string', alias: 'string', alias_urn: 'string',
  create_time: 'string', update_time: 'string' };
// model/Grants.ts
const Grant = { key_id: 'string', grant_id: 'string', grantee_principal: 'string', grantee_principal_type: 'string',
  operations: ['string'], issuing_principal: 'string', creation_date: 'string', name: 'string',
  retiring_principal: 'string' };

const P = '/v1.0/{project_id}/kms';

module.exports = [
  {
    sdk: 'createKmsTag', area: 'kms-tags', method: 'POST', path: `${P}/{key_id}/tags`,
    model: 'CreateKmsTagRequestBody / CreateKmsTagResponse',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    body: () => ({ tag: { key: 'team', value: 'crypto' } }),
    response: {},
  },
  {
    sdk: 'createKmsTag', case: 'tag key with a space', area: 'kms-tags', method: 'POST', path: `${P}/{key_id}/tags`,
    model: 'CreateKmsTagRequestBody / CreateKmsTagResponse',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    body: () => ({ tag: { key: 'cost center', value: '42' } }),
    response: {},
  },
  {
    sdk: 'createKmsTag', case: 'tag key with =', area: 'kms-tags', method: 'POST', path: `${P}/{key_id}/tags`,
    model: 'CreateKmsTagRequestBody',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    body: () => ({ tag: { key: 'a=b', value: 'x' } }),
    error: { status: 400, code: 'KMS.0308' },
  },
  {
    sdk: 'showKmsTags', area: 'kms-tags', method: 'GET', path: `${P}/{key_id}/tags`,
    model: 'ShowKmsTagsResponse',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    response: { tags: [TagItem], existTagsNum: 'number' },
    check: (c, r) => r.tags.some((t) => t.key === 'cost center') || 'tag "cost center" missing',
  },
  {
    // Defect 6: the SDK signs the escaped path escaped again (cost%2520center).
    sdk: 'deleteTag', case: 'tag key with a space (signed path escaped twice)', area: 'kms-tags', method: 'DELETE',
    path: `${P}/{key_id}/tags/{key}`, model: 'DeleteTagRequest / DeleteTagResponse',
    pathParams: (c) => ({ key_id: c.vars.aesKey, key: 'cost center' }),
    response: {},
  },
  {
    sdk: 'showKmsTags', case: 'after delete-tag', area: 'kms-tags', method: 'GET', path: `${P}/{key_id}/tags`,
    model: 'ShowKmsTagsResponse',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    response: { tags: [TagItem], existTagsNum: 'number' },
    check: (c, r) => !r.tags.some((t) => t.key === 'cost center') || 'tag "cost center" still there',
  },
  {
    sdk: 'showKmsTags', case: 'another domain\'s key', area: 'kms-tags', method: 'GET', path: `${P}/{key_id}/tags`,
    model: 'ShowKmsTagsRequest', client: 'other',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    error: { status: 404, code: 'KMS.0207' },
  },
  {
    sdk: 'batchCreateKmsTags', area: 'kms-tags', method: 'POST', path: `${P}/{key_id}/tags/action`,
 model: 'BatchCreateKmsTagsRequestBody / BatchCreateKmsTagsResponse',
    pathParams: (c) => ({ key_id: c.vars.aesKey }),
    body: () => ({ action: 'create', tags: [{ key: 'env', value: 'lab' }, { key: 'tier', value: '1' }] }),
    response: {},
  },
  {
    sdk: 'listKmsTags', area: 'kms-tags', method: 'GET', path: `${P}/tags`,
    model: 'ListKmsTagsResponse',
    response: { tags: [{ key: 'string', values: ['string'] }] },  // model/Tag.ts
  },
  {
    sdk: 'listKmsByTags', area: 'kms-tags', method: 'POST', path: `${P}/{resource_instances}/action`,
 model: 'ListKmsByTagsRequestBody / ListKmsByTagsResponse',
    pathParams: () => ({ resource_instances: 'resource_instances' }),
    body: () => ({ action: 'filter', limit: '10', offset: '0', tags: [{ key: 'team', values: ['crypto'] }] }),
    response: { resources: [{ resource_id: 'string', resource_detail: KeyDetails, resource_name: 'string',
      tags: [TagItem] }], total_count: 'number' },
  },
  {
    sdk: 'listKmsByTags', case: 'action count', area: 'kms-tags', method: 'POST', path: `${P}/{resource_instances}/action`,
 model: 'ListKmsByTagsRequestBody / ListKmsByTagsResponse',
    pathParams: () => ({ resource_instances: 'resource_instances' }),
    body: () => ({ action: 'count', tags: [{ key: 'team', values: ['crypto'] }] }),
    response: { total_count: 'number' },
  },
  {
    sdk: 'createAlias', area: 'kms-tags', method: 'POST', path: `${P}/aliases`,
    model: 'CreateAliasRequestBody / CreateAliasResponse',
    body: (c) => ({ alias: c.vars.aliasName = `alias/${c.uniq('sdk')}`, key_id: c.vars.aesKey }),
    response: AliasEntity,
  },
  {
    sdk: 'listAliases', area: 'kms-tags', method: 'GET', path: `${P}/aliases`,
    model: 'ListAliasesRequest / ListAliasesResponse',
    query: (c) => ({ key_id: c.vars.aesKey, limit: '10' }),
    // ListAliasesResponse.ts types the whole body as ListAliasResponseBody {aliases, page_info}.
    response: { aliases: [AliasEntity], page_info: 'object' },
  },
  {
    sdk: 'associateAlias', area: 'kms-tags', method: 'POST', path: `${P}/alias/associate`,
    model: 'AssociateAliasRequestBody / AssociateAliasResponse', needs: ['aliasName'],
    body: (c) => ({ alias: c.vars.aliasName, target_key_id: c.vars.ecKey }),
    response: {},
  },
  {
    sdk: 'deleteAlias', area: 'kms-tags', method: 'DELETE', path: `${P}/aliases`,
    model: 'DeleteAliasRequestBody / DeleteAliasResponse', needs: ['aliasName'],
    body: (c) => ({ key_id: c.vars.ecKey, aliases: [c.vars.aliasName] }),
    response: {},
  },
  {
    sdk: 'createGrant', area: 'kms-tags', method: 'POST', path: `${P}/create-grant`,
    model: 'CreateGrantRequestBody / CreateGrantResponse',
    body: (c) => ({ key_id: c.vars.aesKey, grantee_principal: c.env.otherUser, grantee_principal_type: 'user',
      operations: ['describe-key', 'encrypt-data'], name: 'sdk-grant' }),
    response: { grant_id: 'string' },
    save: (c, r) => { c.vars.grantId = r.grant_id; },
  },
  {
    sdk: 'listGrants', area: 'kms-tags', method: 'POST', path: `${P}/list-grants`,
    model: 'ListGrantsRequestBody / ListGrantsResponse',
    body: (c) => ({ key_id: c.vars.aesKey, limit: '10' }),
    response: { grants: [Grant], next_marker: 'string', truncated: 'boolstr', total: 'number' },
  },
  {
    sdk: 'listRetirableGrants', area: 'kms-tags', method: 'POST', path: `${P}/list-retirable-grants`,
 model: 'ListRetirableGrantsRequestBody / ListRetirableGrantsResponse',
    body: () => ({ limit: '10' }),
    response: { grants: [Grant], next_marker: 'string', truncated: 'boolstr', total: 'number' },
  },
  {
    sdk: 'cancelSelfGrant', area: 'kms-tags', method: 'POST', path: `${P}/retire-grant`,
    model: 'RevokeGrantRequestBody / CancelSelfGrantResponse', needs: ['grantId'],
    body: (c) => ({ key_id: c.vars.aesKey, grant_id: c.vars.grantId }),
    response: {},
  },
  {
    sdk: 'cancelGrant', area: 'kms-tags', method: 'POST', path: `${P}/revoke-grant`,
    model: 'RevokeGrantRequestBody / CancelGrantResponse', needs: ['grantId'],
    body: (c) => ({ key_id: c.vars.aesKey, grant_id: c.vars.grantId }),
    error: { status: [400, 404] },  // already retired above
  },
];
