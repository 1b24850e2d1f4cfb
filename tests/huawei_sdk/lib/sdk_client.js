'use strict';
// A Huawei service client built the way the SDK's generated KmsClient / CsmsClient are:
// ClientBuilder + BasicCredentials (ak, sk, projectId) + endpoint, every request sent through
// the core's HcClient.sendRequest (its AKSKSigner or DerivedAKSKSigner, its axios HTTP client,
// its ExceptionUtil on errors). Only the request definitions are ours (defs/*.js).

const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials');

// The core logs every failed request at ERROR with the full request, Authorization header
// (signature) included; request signatures must not reach logs, and the negative rows fail on
// purpose: switch the core's log4js output off (the suite prints its own table).
require('log4js').configure({
  appenders: { out: { type: 'stdout' } },
  categories: { default: { appenders: ['out'], level: 'off' } },
});

class SdkClient {
  constructor(hcClient) {
    this.hcClient = hcClient;
  }

  getPath() {
    return __dirname;
  }

  // def: { method, path, body?, pathParams?, query? } with values already resolved.
  // The options object has exactly the fields the generated ParamCreater builds.
  send(def) {
    const hasBody = def.body !== undefined;
    const options = {
      method: def.method,
      url: def.path,
      contentType: hasBody ? 'application/json;charset=UTF-8' : 'application/json',
      queryParams: def.query || {},
      pathParams: def.pathParams || {},
      headers: hasBody ? { 'Content-Type': 'application/json;charset=UTF-8' } : {},
      data: hasBody ? def.body : {},
    };
    options.responseHeaders = [''];
    return this.hcClient.sendRequest(options);
  }
}

// derived: { regionId, serviceName } switches on the SDK's V11-HMAC-SHA256 signer, as a
// customer does with withDerivedPredicate + withDerivedAuthServiceName + a region.
function makeClient({ endpoint, ak, sk, projectId, derived }) {
  const credentials = new BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
  const builder = new ClientBuilder((hc) => new SdkClient(hc))
    .withCredential(credentials)
    .withEndpoint(endpoint);
  if (derived) {
    credentials.withRegionId(derived.regionId).withDerivedPredicate(() => true);
    builder.withDerivedAuthServiceName(derived.serviceName);
  }
  return builder.build();
}

module.exports = { makeClient };
