'use strict';
// Checks a response against a response model written as a shape:
//   'string' | 'number' | 'boolean' | 'object'   a field of that JSON type (never null)
//   'numstr'                                        a string holding a decimal number
//   'boolstr'                                       "true" or "false" (Huawei's string flags)
//   [shape]                                         an array whose every element fits shape
//   { field: shape, ... }                           an object with every listed field
// A field named with a trailing '?' may be absent (the model has it, Keyport may omit it only
// where Huawei does too); present, it must still fit. Extra fields are allowed.

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function check(value, shape, path, problems) {
  if (typeof shape === 'string') {
    const t = typeOf(value);
    if (t === 'null') {
      problems.push(`${path} is null (model: ${shape})`);
      return;
    }
    const want = { numstr: 'string', boolstr: 'string' }[shape] || shape;
    if (t !== want) {
      problems.push(`${path} is ${t} (model: ${shape})`);
      return;
    }
    if (shape === 'numstr' && !/^-?[0-9]+$/.test(value))
      problems.push(`${path} = ${JSON.stringify(value)} is not a number in a string`);
    if (shape === 'boolstr' && value !== 'true' && value !== 'false')
      problems.push(`${path} = ${JSON.stringify(value)} is not "true"/"false"`);
    return;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) {
      problems.push(`${path} is ${typeOf(value)} (model: array)`);
      return;
    }
    value.forEach((v, i) => check(v, shape[0], `${path}[${i}]`, problems));
    return;
  }
  if (typeOf(value) !== 'object') {
    problems.push(`${path} is ${typeOf(value)} (model: object)`);
    return;
  }
  for (const [rawName, sub] of Object.entries(shape)) {
    const optional = rawName.endsWith('?');
    const name = optional ? rawName.slice(0, -1) : rawName;
    if (!(name in value)) {
      if (!optional) problems.push(`${path}.${name} is missing`);
      continue;
    }
    check(value[name], sub, `${path}.${name}`, problems);
  }
}

function shapeProblems(value, shape) {
  const problems = [];
  check(value, shape, '$', problems);
  return problems;
}

module.exports = { shapeProblems };
