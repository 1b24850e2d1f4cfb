#!/usr/bin/env node
'use strict';
// Keyport's Huawei KMS/CSMS conformance suite: every request goes through Huawei's own npm
// core (@huaweicloud/huaweicloud-sdk-core, pinned in package.json): its signer, its HTTP
// client and its exception parser. Request definitions (defs/*.js) are ours, written from the
// SDK's models; every response is checked against the model's field names and JSON types, and
// every negative row against the errorCode the SDK's exception reports.
//
// Environment (tests/e2e/huawei_sdk_test.cpp sets it from a real keyportd):
//   KEYPORT_ENDPOINT        http://127.0.0.1:<port>
//   KEYPORT_AK/SK/PROJECT_ID/REGION               a credential of domain A
//   KEYPORT_OTHER_AK/SK/PROJECT_ID                a credential of domain B (cross-domain rows)
//   KEYPORT_REPLICA_REGION/PROJECT_ID             domain A's project in a second region
//   KEYPORT_OTHER_USER      a principal name a grant may name (grant rows)
//   KEYPORT_SDK_SKIP=area,area   areas not to run (kms-keys, kms-crypto, kms-rotation,
//                                kms-tags, kms-misc, csms, signing)
//   KEYPORT_SDK_STRICT=1    pending rows count: a failing or unserved pending row fails the run
//                           (the lead sets it once the other branches are merged)
// Exit 0 when every non-pending row passes (all rows with STRICT).

const { makeClient } = require('./lib/sdk_client');
const { shapeProblems } = require('./lib/shape');

const areas = {
  'kms-keys': require('./defs/kms_keys'),
  'kms-crypto': require('./defs/kms_crypto'),
  'kms-rotation': require('./defs/kms_rotation'),
  'kms-tags': require('./defs/kms_tags'),
  'kms-misc': require('./defs/kms_misc'),
  csms: require('./defs/csms'),
};

function env(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    console.error(`conformance: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const cfg = {
  endpoint: env('KEYPORT_ENDPOINT'),
  ak: env('KEYPORT_AK'),
  sk: env('KEYPORT_SK'),
  projectId: env('KEYPORT_PROJECT_ID'),
  region: env('KEYPORT_REGION'),
  otherAk: env('KEYPORT_OTHER_AK'),
  otherSk: env('KEYPORT_OTHER_SK'),
  otherProjectId: env('KEYPORT_OTHER_PROJECT_ID'),
  replicaRegion: env('KEYPORT_REPLICA_REGION', ''),
  replicaProject: env('KEYPORT_REPLICA_PROJECT_ID', ''),
  otherUser: env('KEYPORT_OTHER_USER', 'sdk-grantee'),
};
const skip = new Set(env('KEYPORT_SDK_SKIP', '').split(',').filter(Boolean));
const strict = env('KEYPORT_SDK_STRICT', '') === '1';

const clients = {
  main: makeClient({ endpoint: cfg.endpoint, ak: cfg.ak, sk: cfg.sk, projectId: cfg.projectId }),
  other: makeClient({ endpoint: cfg.endpoint, ak: cfg.otherAk, sk: cfg.otherSk, projectId: cfg.otherProjectId }),
  // The SDK's opt-in derived signing (DerivedAKSKSigner, V11-HMAC-SHA256).
  derived: makeClient({ endpoint: cfg.endpoint, ak: cfg.ak, sk: cfg.sk, projectId: cfg.projectId,
    derived: { regionId: cfg.region, serviceName: 'kms' } }),
};

const runId = Date.now().toString(36);
let seq = 0;
const ctx = {
  env: cfg,
  vars: { replicaProject: cfg.replicaProject || undefined },
  uniq: (prefix) => `${prefix}-${runId}-${++seq}`,
};

// Signing rows: the same operation under each signer the SDK has.
const signingRows = [
  {
    sdk: '(signer) SDK-HMAC-SHA256', area: 'signing', method: 'POST', path: '/v1.0/{project_id}/kms/list-keys',
    model: 'AKSKSigner', body: () => ({ limit: '1' }),
    response: { keys: ['string'], total: 'number' },
  },
  {
    sdk: '(signer) V11-HMAC-SHA256', area: 'signing', method: 'POST', path: '/v1.0/{project_id}/kms/list-keys',
    model: 'DerivedAKSKSigner (derived key: HKDF-SHA256 of SK, salt AK, info date/region/kms)', client: 'derived',
    body: () => ({ limit: '1' }),
    response: { keys: ['string'], total: 'number' },
  },
  {
    sdk: '(signer) V11-HMAC-SHA256 [service csms, a CSMS route]', area: 'signing', method: 'GET',
    path: '/v1/{project_id}/secrets', model: 'DerivedAKSKSigner (CsmsClient: derived service csms)',
    client: 'derivedCsms', query: () => ({ limit: '1' }),
    response: { secrets: ['object'] },
  },
  {
    sdk: '(signer) V11-HMAC-SHA256 [another region in the scope]', area: 'signing', method: 'POST',
    path: '/v1.0/{project_id}/kms/list-keys', model: 'DerivedAKSKSigner', client: 'derivedWrongRegion',
    body: () => ({}),
    error: { status: 401, code: 'KMS.0302' },
  },
  {
    sdk: '(signer) V11-HMAC-SHA256 [service iam in the scope]', area: 'signing', method: 'POST',
    path: '/v1.0/{project_id}/kms/list-keys', model: 'DerivedAKSKSigner', client: 'derivedWrongService',
    body: () => ({}),
    error: { status: 401, code: 'KMS.0302' },
  },
  {
    sdk: '(signer) V11-HMAC-SHA256 [wrong secret key]', area: 'signing', method: 'POST',
    path: '/v1.0/{project_id}/kms/list-keys', model: 'DerivedAKSKSigner', client: 'derivedBadSecret',
    body: () => ({}),
    error: { status: 401, code: 'KMS.0302' },
  },
  {
    sdk: '(signer) V11-HMAC-SHA256 [another domain\'s project]', area: 'signing', method: 'POST',
    path: '/v1.0/{project_id}/kms/list-keys', model: 'DerivedAKSKSigner', client: 'derivedOtherProject',
    body: () => ({}),
    error: { status: 403, code: 'KMS.0307' },
  },
  {
    sdk: '(signer) wrong secret key', area: 'signing', method: 'POST', path: '/v1.0/{project_id}/kms/list-keys',
    model: 'AKSKSigner', client: 'badSecret', body: () => ({}),
    error: { status: 401, code: 'KMS.0302' },
  },
];
clients.badSecret = makeClient({ endpoint: cfg.endpoint, ak: cfg.ak, sk: `${cfg.sk}x`, projectId: cfg.projectId });
const derivedAs = (over) => makeClient({ endpoint: cfg.endpoint, ak: cfg.ak, sk: cfg.sk, projectId: cfg.projectId,
  ...over, derived: { regionId: cfg.region, serviceName: 'kms', ...(over.derived || {}) } });
clients.derivedWrongRegion = derivedAs({ derived: { regionId: cfg.replicaRegion || 'xx-nowhere-1' } });
clients.derivedWrongService = derivedAs({ derived: { serviceName: 'iam' } });
clients.derivedCsms = derivedAs({ derived: { serviceName: 'csms' } });
clients.derivedBadSecret = derivedAs({ sk: `${cfg.sk}x` });
// Domain A's signature on domain B's project: authenticated, then refused (never data).
clients.derivedOtherProject = derivedAs({ projectId: cfg.otherProjectId });

const rows = [];
for (const [area, defs] of Object.entries(areas)) for (const d of defs) rows.push({ ...d, area });
rows.push(...signingRows);

function resolve(v) {
  return typeof v === 'function' ? v(ctx) : v;
}

// The dialect's "not served" answer: the router's 404 (no such path) or 405 (the path
// exists for other methods), KMS.0201 / CSMS.0005 / CSMS.0003.
function unserved(e) {
  return (e.httpStatusCode === 404 && (e.errorCode === 'KMS.0201' || e.errorCode === 'CSMS.0005'))
    || (e.httpStatusCode === 405 && (e.errorCode === 'KMS.0201' || e.errorCode === 'CSMS.0003'));
}

async function runRow(row) {
  const missing = (row.needs || []).filter((n) => ctx.vars[n] === undefined);
  if (missing.length) return { status: 'skipped', why: `needs ${missing.join(', ')} from an earlier row` };
  const client = clients[row.client || 'main'];
  let res;
  try {
    res = await client.send({
      method: row.method,
      path: row.path,
      pathParams: resolve(row.pathParams),
      query: resolve(row.query),
      body: row.body ? resolve(row.body) : undefined,
    });
  } catch (e) {
    if (e.httpStatusCode === undefined) return { status: 'fail', why: `no HTTP answer: ${e.message || e}` };
    if (row.error) {
      const statuses = [].concat(row.error.status);
      if (row.pending && !row.notServed && unserved(e) && e.errorCode !== row.error.code)
        return { status: 'unserved', why: `HTTP ${e.httpStatusCode} ${e.errorCode}` };
      if (!statuses.includes(e.httpStatusCode))
        return { status: 'fail', why: `HTTP ${e.httpStatusCode} ${e.errorCode}, want ${statuses.join('/')}` };
      if (row.error.code && e.errorCode !== row.error.code)
        return { status: 'fail', why: `SDK errorCode ${e.errorCode}, want ${row.error.code}` };
      if (!e.errorCode) return { status: 'fail', why: 'the SDK read no errorCode' };
      if (!e.errorMsg) return { status: 'fail', why: 'the SDK read no errorMsg' };
      return { status: 'pass', why: `HTTP ${e.httpStatusCode} ${e.errorCode}` };
    }
    if (unserved(e)) return { status: 'unserved', why: `HTTP ${e.httpStatusCode} ${e.errorCode}` };
    return { status: 'fail', why: `HTTP ${e.httpStatusCode} ${e.errorCode}: ${e.errorMsg}` };
  }
  if (row.error) return { status: 'fail', why: `HTTP ${res.httpStatusCode}, want an error ${row.error.code || ''}` };
  const problems = shapeProblems(res, row.response || {});
  if (problems.length) return { status: 'fail', why: problems.slice(0, 4).join('; ') };
  if (row.check) {
    const verdict = row.check(ctx, res);
    if (verdict !== true) return { status: 'fail', why: String(verdict) };
  }
  if (row.save) row.save(ctx, res);
  return { status: 'pass', why: `HTTP ${res.httpStatusCode}` };
}

function label(row) {
  return row.case ? `${row.sdk} [${row.case}]` : row.sdk;
}

async function main() {
  const core = require('@huaweicloud/huaweicloud-sdk-core/package.json');
  console.log(`Huawei SDK conformance: node ${process.version}, ${core.name} ${core.version}, ${cfg.endpoint}`);
  const results = [];
  for (const row of rows) {
    if (skip.has(row.area)) {
      results.push({ row, status: 'skipped', why: 'KEYPORT_SDK_SKIP' });
      continue;
    }
    let r;
    try {
      r = await runRow(row);
    } catch (e) {
      r = { status: 'fail', why: `runner: ${e.stack || e}` };
    }
    results.push({ row, ...r });
  }

  // The table: one line per row, then the SDK methods listed but not called.
  let failures = 0;
  const lines = [];
  for (const { row, status, why } of results) {
    let verdict;
    if (row.notServed) {
      verdict = status === 'pass' ? 'not served (deliberately)' : 'FAILING';
      if (status === 'pass') lines.push([label(row), row.area, verdict, `${row.notServed}; ${why}`]);
      else lines.push([label(row), row.area, verdict, `should answer the dialect's 404: ${why}`]);
      if (status !== 'pass') failures++;
      continue;
    }
    if (status === 'pass') verdict = 'served, passing';
    else if (status === 'skipped') verdict = 'skipped';
    else if (row.pending && status === 'unserved') verdict = 'not served yet';
    else verdict = row.pending ? 'FAILING (pending)' : 'FAILING';
    const counts = verdict === 'FAILING' || (strict && row.pending && status !== 'pass');
    if (counts) failures++;
    const note = row.pending && status !== 'pass' ? `${row.pending}; ${why}` : why;
    lines.push([label(row), row.area, counts && !verdict.startsWith('FAILING') ? `FAILING (${verdict})` : verdict,
      `${row.method} ${row.path} (${row.model}): ${note}`]);
  }
  for (const [sdk, reason] of areas['kms-misc'].listedOnly || [])
    lines.push([sdk, 'kms-misc', 'not served (deliberately)', `${reason}; not called`]);

  const w0 = Math.max(...lines.map((l) => l[0].length));
  const w2 = Math.max(...lines.map((l) => l[2].length));
  console.log(`${'SDK method'.padEnd(w0)}  ${'area'.padEnd(12)}  ${'result'.padEnd(w2)}  detail`);
  for (const l of lines) console.log(`${l[0].padEnd(w0)}  ${l[1].padEnd(12)}  ${l[2].padEnd(w2)}  ${l[3]}`);
  const count = (v) => lines.filter((l) => l[2] === v).length;
  console.log(`\n${count('served, passing')} passing, ${failures} failing, ${count('not served yet')} not served yet `
    + `(pending other branches), ${count('FAILING (pending)')} failing but pending other branches, `
    + `${count('not served (deliberately)')} not served deliberately, `
    + `${count('skipped')} skipped${strict ? ' [strict]' : ''}`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
